/**
 * Conformance declarations (NAMASTE files, spec §3.1 objects, §4.2 storage roots): exactly one
 * file `0=<dvalue>` whose content is `<dvalue>\n`, with dvalue `ocfl_object_<version>` for an
 * object and `ocfl_<version>` for a storage root. The two differ only in codes and prefix.
 */

import { hasCode } from '../../core/errors.js';
import { INVENTORY_TYPES, type OcflSpecVersion } from '../../core/inventory.js';
import type { OcflCode, ValidationReport } from '../../core/ocfl/codes.js';
import { q } from '../../core/ocfl/context.js';
import { MAX_DECLARATION_BYTES } from '../../core/ocfl/limits.js';
import type { ReadableStore } from '../../storage/port.js';
import { joinKey } from '../../storage/port.js';

/** Which kind of declaration: selects the dvalue prefix and the codes. */
export type DeclarationKind = 'object' | 'storage-root';

const RULES: Record<
  DeclarationKind,
  {
    prefix: string;
    none: OcflCode;
    many: OcflCode;
    name: OcflCode;
    zero: OcflCode;
    value: OcflCode;
    body: OcflCode;
  }
> = {
  object: {
    prefix: 'ocfl_object_',
    none: 'E003',
    many: 'E003',
    name: 'E004',
    zero: 'E005',
    value: 'E006',
    body: 'E007',
  },
  'storage-root': {
    prefix: 'ocfl_',
    none: 'E069',
    many: 'E076',
    name: 'E077',
    zero: 'E078',
    value: 'E079',
    body: 'E080',
  },
};

/** True for names that look like a NAMASTE declaration (`<digits>=...`). */
export function isDeclarationName(name: string): boolean {
  return /^[0-9]+=/.test(name);
}

/** The spec version named by a declaration file name, or undefined (`0=ocfl_object_1.1` → 1.1). */
export function declaredVersion(name: string, kind: DeclarationKind): OcflSpecVersion | undefined {
  const prefix = `0=${RULES[kind].prefix}`;
  if (!name.startsWith(prefix)) return undefined;
  const v = name.slice(prefix.length);
  return Object.hasOwn(INVENTORY_TYPES, v) ? (v as OcflSpecVersion) : undefined;
}

/**
 * Check the declaration among `fileNames` (the direct children of `dir`). Reports through
 * `report` with paths relative to `dir`. Returns the declared spec version when there is exactly
 * one well-named declaration (even if its content is wrong, so validation can go on).
 */
export async function checkDeclaration(
  store: ReadableStore,
  dir: string,
  files: ReadonlyMap<string, { special?: string }>,
  kind: DeclarationKind,
  report: ValidationReport,
): Promise<OcflSpecVersion | undefined> {
  const rules = RULES[kind];
  const candidates = [...files.keys()].filter(isDeclarationName);
  if (candidates.length === 0) {
    report.add(rules.none, `no conformance declaration (0=${rules.prefix}<version>) found`);
    return undefined;
  }
  if (candidates.length > 1) report.add(rules.many, `${candidates.length} conformance declarations found`);
  let version: OcflSpecVersion | undefined;
  for (const name of candidates) {
    const v = checkName(name, rules, report);
    if (v === undefined) continue;
    const body = await readDeclaration(store, joinKey(dir, name), files.get(name)?.special);
    if (body === undefined) {
      report.add(
        rules.body,
        `declaration is not a regular file of at most ${MAX_DECLARATION_BYTES} bytes: not read`,
        name,
      );
    } else if (body !== `${name.slice(2)}\n`) {
      report.add(rules.body, `declaration content must be ${q(name.slice(2))} and a newline`, name);
    }
    version ??= v;
  }
  return candidates.length === 1 ? version : undefined;
}

/**
 * A declaration's text, at most {@link MAX_DECLARATION_BYTES}; undefined when it is not a regular
 * file (a FIFO would block the read) or is longer (wrong whatever it holds).
 */
async function readDeclaration(store: ReadableStore, key: string, special: string | undefined) {
  if (special !== undefined) return undefined;
  try {
    return (await store.readBytes(key, { maxBytes: MAX_DECLARATION_BYTES })).toString('utf8');
  } catch (err) {
    if (hasCode(err, 'TOO_LARGE')) return undefined;
    throw err;
  }
}

function checkName(name: string, rules: (typeof RULES)[DeclarationKind], report: ValidationReport) {
  if (!name.startsWith('0=')) {
    report.add(rules.zero, `declaration ${q(name)} must start with "0="`, name);
    return undefined;
  }
  const dvalue = name.slice(2);
  if (!dvalue.startsWith(rules.prefix)) {
    report.add(rules.value, `declaration value ${q(dvalue)} does not start with ${rules.prefix}`, name);
    return undefined;
  }
  const v = dvalue.slice(rules.prefix.length);
  if (!Object.hasOwn(INVENTORY_TYPES, v)) {
    report.add(rules.name, `declaration names an unknown OCFL version ${q(v)}`, name);
    return undefined;
  }
  return v as OcflSpecVersion;
}
