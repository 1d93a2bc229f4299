/**
 * The OCFL 1.1 validation codes (https://ocfl.io/1.1/spec/validation-codes.html) with a short
 * description in our own words, plus the collector every validator in the engine fills.
 *
 * Codes the 1.1 table does not define are absent on purpose: E065, E068 and E086 (dropped in
 * 1.1.0), E091 (dropped in 1.1.1), E109, E113 (announced in the change log, never defined) and
 * W006. Reporting one of them would be a bug, so {@link ValidationReport.add} only accepts
 * {@link OcflCode}s. `since` says which spec version introduced the rule: a 1.0 object is not
 * held to a `since: '1.1'` rule (the validators pick a 1.0 equivalent where one exists).
 *
 * Pure module.
 */
import type { Finding } from '../findings.js';

/** Whether a code is a MUST (error) or a SHOULD (warning). */
export type Severity = 'error' | 'warning';

/** One row of the code table. */
export interface CodeInfo {
  severity: Severity;
  /** What the rule is about, in a few words. */
  description: string;
  /** First spec version with this code. */
  since: '1.0' | '1.1';
}

const e = (description: string, since: '1.0' | '1.1' = '1.0'): CodeInfo => ({
  severity: 'error',
  description,
  since,
});
const w = (description: string, since: '1.0' | '1.1' = '1.0'): CodeInfo => ({
  severity: 'warning',
  description,
  since,
});

/** The code table. Keys are the spec's codes; values our short descriptions. */
export const OCFL_CODES = {
  E001: e('object root holds an entry the spec does not allow'),
  E002: e('object declaration is not a well-formed NAMASTE file'),
  E003: e('object root must hold exactly one version declaration'),
  E004: e('object declaration file name is not 0=ocfl_object_<version>'),
  E005: e('object declaration file name does not start with "0="'),
  E006: e('object declaration value is not ocfl_object_<version>'),
  E007: e('object declaration content is not its value followed by a newline'),
  E008: e('object has no versions'),
  E009: e('version numbers do not start at 1'),
  E010: e('version numbers are not contiguous'),
  E011: e('zero-padded version names must start with "v0"'),
  E012: e('version directories mix naming conventions or padding widths'),
  E013: e('a version does not follow the naming convention of earlier versions'),
  E014: e('inventory refers to a version directory by a name that does not exist'),
  E015: e('version directory holds a file other than its inventory and sidecar'),
  E016: e('version adds files but has no content directory'),
  E017: e('contentDirectory contains "/"'),
  E018: e('contentDirectory is "." or ".."'),
  E019: e('contentDirectory is not set in the first version'),
  E020: e('contentDirectory changes between versions'),
  E021: e('content directory is not "content" although contentDirectory is absent'),
  E022: e('a directory other than the content directory was treated as content'),
  E023: e('a file in a content directory is missing from the manifest'),
  E024: e('empty directory inside a content directory'),
  E025: e('digestAlgorithm is neither sha512 nor sha256'),
  E026: e('fixity algorithm outside the controlled vocabulary'),
  E027: e('a required fixity algorithm is not supported by the client'),
  E028: e('an unsupported optional fixity algorithm was not ignored'),
  E029: e('sha1 digest is not hex'),
  E030: e('sha256 digest is not hex of the right length'),
  E031: e('sha512 digest is not hex of the right length'),
  E032: e('blake2b-512 digest is not hex of the right length'),
  E033: e('inventory is not valid UTF-8 JSON of the required structure'),
  E034: e('inventory is not named inventory.json'),
  E035: e('content path does not use "/" separators'),
  E036: e('inventory lacks id, type, digestAlgorithm or head'),
  E037: e('id is not a string or differs between inventories'),
  E038: e('type is not the inventory URI of the declared spec version'),
  E039: e('manifest/state digests are not in the declared digestAlgorithm'),
  E040: e('head is not the highest version'),
  E041: e('inventory lacks the manifest or versions block'),
  E042: e('content path does not point inside a version content directory'),
  E043: e('inventory has no versions block'),
  E044: e('versions block is not under the key "versions"'),
  E045: e('versions is not a JSON object'),
  E046: e('versions keys do not match the version directories'),
  E047: e('a version block is not a JSON object'),
  E048: e('a version block lacks created or state'),
  E049: e('created is not an RFC 3339 date-time with zone and seconds'),
  E050: e('a state digest is not exactly a manifest key'),
  E051: e('logical path is not "/"-joined path elements'),
  E052: e('logical path has an empty, "." or ".." element'),
  E053: e('logical path starts or ends with "/"'),
  E054: e('user is not an object with a string name'),
  E055: e('fixity block is not under the key "fixity"'),
  E056: e('fixity algorithm is not a known digest algorithm'),
  E057: e('fixity block does not have the manifest structure'),
  E058: e('inventory has no sidecar'),
  E059: e('sidecar algorithm differs from digestAlgorithm'),
  E060: e('sidecar digest does not match the inventory'),
  E061: e('sidecar is not "DIGEST inventory.json"'),
  E062: e('sidecar was not written last'),
  E063: e('object root has no inventory.json'),
  E064: e('root inventory differs from the newest version inventory'),
  E066: e('an older inventory describes a version state differently'),
  E067: e('object extensions directory holds something other than extension directories'),
  E069: e('storage root has no conformance declaration'),
  E070: e('ocfl_layout.json does not have exactly extension and description'),
  E071: e('ocfl_layout.json extension is not a registered extension name'),
  E072: e('file in the storage hierarchy outside any object'),
  E073: e('empty directory under the storage root'),
  E074: e('storage roots are not independent'),
  E075: e('storage root declaration is not a well-formed NAMASTE file'),
  E076: e('storage root must hold exactly one declaration'),
  E077: e('storage root declaration file name is not 0=ocfl_<version>'),
  E078: e('storage root declaration file name does not start with "0="'),
  E079: e('storage root declaration value is not ocfl_<version>'),
  E080: e('storage root declaration content is not its value followed by a newline'),
  E081: e('object declares a later spec version than its storage root'),
  E082: e('object root is neither a hierarchy leaf nor a direct child of the storage root'),
  E083: e('no deterministic mapping from identifier to storage path'),
  E084: e('file inside an intermediate directory of the storage hierarchy'),
  E085: e('storage hierarchy branch does not end in an object root'),
  E087: e('storage root file that should have been ignored was not'),
  E088: e('storage root holds a directory that is neither hierarchy nor extensions'),
  E089: e('non-OCFL filesystem feature stored without wrapping it in an image'),
  E090: e('hard or symbolic link inside the storage hierarchy'),
  E092: e('manifest digest or path does not match the stored content'),
  E093: e('fixity digest does not match the stored content'),
  E094: e('message is not a JSON string'),
  E095: e('logical paths within a version are duplicated or conflict'),
  E096: e('manifest lists a digest more than once ignoring case'),
  E097: e('fixity lists a digest more than once ignoring case'),
  E098: e('content path is not "/"-joined path elements'),
  E099: e('content path has an empty, "." or ".." element'),
  E100: e('content path starts or ends with "/"'),
  E101: e('content paths are duplicated or conflict'),
  E102: e('inventory holds a key the spec does not define'),
  E103: e('a version conforms to an earlier spec version than the one before it', '1.1'),
  E104: e('version name is not "v" followed by the number', '1.1'),
  E105: e('version number is not a positive base-ten integer', '1.1'),
  E106: e('manifest is not a JSON object', '1.1'),
  E107: e('manifest digest used by no version state', '1.1'),
  E108: e('contentDirectory is not a direct child of the version directory', '1.1'),
  E110: e('id changes between versions', '1.1'),
  E111: e('fixity is present but not a JSON object', '1.1'),
  E112: e('storage root extensions directory holds something other than extension directories', '1.1'),
  W001: w('version directory names are zero-padded'),
  W002: w('version directory holds a directory other than the content directory'),
  W003: w('content directory present although the version adds no files'),
  W004: w('digestAlgorithm is not sha512'),
  W005: w('id is not a URI'),
  W007: w('version block lacks message or user'),
  W008: w('user lacks an address'),
  W009: w('user address is not a URI'),
  W010: w('version directory has no inventory'),
  W011: w('version metadata differs between inventories'),
  W012: w('logs directory used for something other than logs'),
  W013: w('object extension directory name is not a registered extension'),
  W014: w('storage root uses more than one layout'),
  W015: w('storage root mixes hierarchical and top-level objects'),
  W016: w('storage root extension directory name is not a registered extension', '1.1'),
} as const satisfies Record<string, CodeInfo>;

/** A code of the OCFL 1.1 table. */
export type OcflCode = keyof typeof OCFL_CODES;

/** True when `code` is in the 1.1 table. */
export function isOcflCode(code: string): code is OcflCode {
  return Object.hasOwn(OCFL_CODES, code);
}

/** One finding of a validator. `path` is relative to what was validated (object or storage root). */
export interface ValidationIssue extends Finding {
  code: OcflCode;
  severity: Severity;
  message: string;
  path?: string;
}

/**
 * Collects issues. Validators add to it and never throw on invalid data; `valid` is true while
 * no error has been added. Issues keep insertion order.
 */
export class ValidationReport {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  /** Keys of issues already recorded: the same finding reached twice is reported once. */
  readonly #seen = new Set<string>();

  /** True when no error (warnings allowed) has been recorded. */
  get valid(): boolean {
    return this.errors.length === 0;
  }

  /** Record an issue (severity from the code table); an identical code+path+message is kept once. */
  add(code: OcflCode, message: string, path?: string): void {
    const key = `${code}\0${path ?? ''}\0${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const issue: ValidationIssue = { code, severity: OCFL_CODES[code].severity, message };
    if (path !== undefined) issue.path = path;
    (issue.severity === 'error' ? this.errors : this.warnings).push(issue);
  }

  /** Record issues produced elsewhere, optionally prefixing their paths (`prefix/path`). */
  addAll(issues: Iterable<ValidationIssue>, pathPrefix?: string): void {
    for (const i of issues) {
      const path = pathPrefix ? (i.path ? `${pathPrefix}/${i.path}` : pathPrefix) : i.path;
      this.add(i.code, i.message, path);
    }
  }

  /** Every issue, errors first. */
  get issues(): ValidationIssue[] {
    return [...this.errors, ...this.warnings];
  }

  /** The distinct codes recorded, sorted. */
  codes(): OcflCode[] {
    return [...new Set(this.issues.map((i) => i.code))].sort();
  }

  /** True when an issue with this code was recorded. */
  has(code: OcflCode): boolean {
    return this.issues.some((i) => i.code === code);
  }

  /** Plain JSON shape for the CLI and the API. */
  toJSON(): { valid: boolean; errors: ValidationIssue[]; warnings: ValidationIssue[] } {
    return { valid: this.valid, errors: this.errors, warnings: this.warnings };
  }
}
