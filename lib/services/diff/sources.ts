/**
 * What a deposit says about its own files besides the bytes: its METS file, its BagIt payload
 * manifest (SHA-256) and the format-identification tool outputs under `metadata/` (content
 * types). Each is read once, from the listing already made; none is required.
 */
import { type ItemProblem, MalformedError, UnprocessableError } from '../../core/errors.js';
import { isInformativeMediaType } from '../../core/media-types.js';
import { quoteForMessage } from '../../core/paths.js';
import { mapLimit } from '../../engine/concurrency.js';
import { tagFileLimit } from '../../formats/bagit/limits.js';
import { parseBagManifests } from '../../formats/bagit/read.js';
import type { MetsModel } from '../../formats/mets/model.js';
import { readMets } from '../../formats/mets/reader.js';
import { metadataLocation } from '../../formats/tools/classify.js';
import { readToolOutputs, TOOL_OUTPUT_MAX_BYTES, type ToolOutputFile } from '../../formats/tools/index.js';
import type { ReadableStore } from '../../storage/port.js';
import { isExportStub, STUB_MAGIC, STUB_MAX_BYTES } from '../../txn/export.js';
import type { ListedFile } from './listing.js';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The deposit's METS file: `mets.xml` first, then a single `*mets*.xml` (letter case ignored),
 * directly in the first of `bases` that has one (`''` is the root). Two or more `*mets*.xml`
 * and no `mets.xml` is a problem: the diff does not guess which describes the deposit.
 */
export function findMetsFile(
  files: readonly ListedFile[],
  bases: readonly string[],
): { file?: ListedFile; problem?: ItemProblem } {
  for (const base of bases) {
    const prefix = base === '' ? '' : `${base}/`;
    const here = files.filter((f) => f.key.startsWith(prefix) && !f.key.slice(prefix.length).includes('/'));
    const nameOf = (f: ListedFile) => f.key.slice(prefix.length);
    const exact =
      here.find((f) => nameOf(f) === 'mets.xml') ??
      (() => {
        const folded = here.filter((f) => nameOf(f).toLowerCase() === 'mets.xml');
        return folded.length === 1 ? folded[0] : undefined;
      })();
    if (exact) return { file: exact };
    const candidates = here.filter((f) => /mets/i.test(nameOf(f)) && /\.xml$/i.test(nameOf(f)));
    if (candidates.length === 1) return { file: candidates[0]! };
    if (candidates.length > 1) {
      return {
        problem: {
          path: prefix || '/',
          message: `holds ${candidates.length} METS candidates (${candidates
            .slice(0, 5)
            .map((f) => quoteForMessage(f.key, 80))
            .join(', ')}) and no mets.xml: which one describes the deposit is not guessed`,
        },
      };
    }
  }
  return {};
}

/** A deposit's METS, or a note that the file standing there is an export stub. */
export type DepositMets = { stub: true } | { stub: false; model: MetsModel };

/**
 * Read the METS at `file`. Throws UnprocessableError naming the file when it is not readable as
 * XML (a deposit whose METS cannot be read is not diffed), and the store's errors.
 */
export async function readDepositMets(store: ReadableStore, file: ListedFile): Promise<DepositMets> {
  try {
    if (file.size <= STUB_MAX_BYTES) {
      const bytes = await store.readBytes(file.key, { maxBytes: STUB_MAX_BYTES });
      if (isExportStub(bytes)) return { stub: true };
      return { stub: false, model: await readMets(bytes, { name: file.key }) };
    }
    return { stub: false, model: await readMets(await store.read(file.key), { name: file.key }) };
  } catch (err) {
    if (!(err instanceof MalformedError)) throw err;
    throw new UnprocessableError(`the deposit's METS file cannot be read`, [
      { path: file.key, message: err.message },
    ]);
  }
}

/** SHA-256 digests of a bag's payload manifest, by deposit key (`data/...`). */
export interface BagDigests {
  /** True when the bag has a `manifest-sha256.txt`. */
  manifest: boolean;
  sha256: Map<string, string>;
  warnings: ItemProblem[];
}

/**
 * Read the bag at the deposit root: `bagit.txt` (for its version and encoding) and
 * `manifest-sha256.txt`. Other manifests' algorithms are not content digests the repository
 * uses. Problems in the tag files are warnings; entries whose digest is not 64 hex digits are
 * left out. Throws the store's errors.
 */
export async function readBagDigests(store: ReadableStore, keys: ReadonlySet<string>): Promise<BagDigests> {
  const out: BagDigests = { manifest: keys.has('manifest-sha256.txt'), sha256: new Map(), warnings: [] };
  if (!out.manifest) return out;
  const tagFiles = new Map<string, Uint8Array>();
  for (const name of ['bagit.txt', 'manifest-sha256.txt']) {
    if (keys.has(name)) tagFiles.set(name, await store.readBytes(name, { maxBytes: tagFileLimit(name) }));
  }
  const reading = parseBagManifests(tagFiles);
  for (const issue of reading.issues) {
    if (issue.severity === 'error')
      out.warnings.push({
        path: issue.file ?? issue.path ?? 'bagit.txt',
        message: `BagIt: ${issue.message}`,
      });
  }
  for (const [path, digests] of reading.payloadDigests) {
    const hex = digests.sha256;
    if (hex !== undefined && SHA256.test(hex)) out.sha256.set(path, hex);
  }
  return out;
}

/**
 * Content types the deposit's tool outputs (Siegfried, Brunnhilde, DROID, ExifTool) give, by
 * deposit key: the first format record with an informative MIME type. Reads every file under a
 * metadata folder up to its cap (a larger one only its first 8 KiB, to be recognised and
 * reported, not parsed). Throws the store's errors.
 */
export async function readToolContentTypes(
  store: ReadableStore,
  files: readonly ListedFile[],
  concurrency: number,
): Promise<Map<string, string>> {
  const candidates = files.filter((f) => metadataLocation(f.key) !== null);
  if (candidates.length === 0) return new Map();
  const outputs: ToolOutputFile[] = await mapLimit(candidates, concurrency, async (f) => {
    if (f.size <= TOOL_OUTPUT_MAX_BYTES)
      return { path: f.key, bytes: await store.readBytes(f.key, { maxBytes: TOOL_OUTPUT_MAX_BYTES }) };
    const head: Buffer[] = [];
    for await (const c of await store.read(f.key, { start: 0, end: 8191 })) head.push(c as Buffer);
    return { path: f.key, bytes: Buffer.concat(head), size: f.size };
  });
  const result = readToolOutputs(
    outputs,
    files.map((f) => f.key),
  );
  const types = new Map<string, string>();
  for (const [path, records] of result.byPath) {
    for (const r of records) {
      if (r.type === 'FileFormatMetadata' && isInformativeMediaType(r.contentType)) {
        types.set(path, r.contentType);
        break;
      }
    }
  }
  return types;
}

/**
 * What an export stub at `key` stands for, or undefined when the file is not a stub. Only files
 * whose size could be a stub are read (callers check {@link couldBeStub} first).
 */
export async function readStub(store: ReadableStore, key: string): Promise<{ digest?: string } | undefined> {
  return stubFromBytes(await store.readBytes(key, { maxBytes: STUB_MAX_BYTES }));
}

/**
 * What the stub in `bytes` stands for (`digest`: the SHA-256 it names, when it names a
 * well-formed one), or undefined when `bytes` is not a stub.
 */
export function stubFromBytes(bytes: Uint8Array): { digest?: string } | undefined {
  if (!isExportStub(bytes)) return undefined;
  try {
    const body = JSON.parse(Buffer.from(bytes.subarray(STUB_MAGIC.length)).toString('utf8')) as {
      digest?: unknown;
    };
    return typeof body?.digest === 'string' && SHA256.test(body.digest) ? { digest: body.digest } : {};
  } catch {
    return {};
  }
}

/** True when a file of `size` bytes could be an export stub. */
export function couldBeStub(size: number): boolean {
  return size >= STUB_MAGIC.length && size <= STUB_MAX_BYTES;
}
