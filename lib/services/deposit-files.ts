/**
 * Reading what a deposit holds, by location: a BagIt bag (a folder or a zip, read by ranges and
 * never loaded whole), the tool outputs under its `metadata/` folder, and a METS file. The CLI's
 * `bag`, `tools` and `mets` commands and the server's deposit views call these.
 */
import { InvalidInputError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import { openZipBagInStore, storeBagSource } from '../engine/bag-source.js';
import type { BagSource } from '../formats/bagit/source.js';
import { type BagValidation, type ValidateBagOptions, validateBag } from '../formats/bagit/validate.js';
import type { MetsModel } from '../formats/mets/model.js';
import { readMets } from '../formats/mets/reader.js';
import { metadataLocation } from '../formats/tools/classify.js';
import {
  readToolOutputs,
  TOOL_OUTPUT_MAX_BYTES,
  type ToolOutputFile,
  type ToolOutputsResult,
  type ToolSpecialEntry,
} from '../formats/tools/index.js';
import type { OpenStoreOptions } from '../storage/location.js';
import type { ReadableStore } from '../storage/port.js';
import { openLocation } from './locations.js';

/** Options of {@link validateBagAt}. */
export type ValidateBagAtOptions = ValidateBagOptions & { store?: OpenStoreOptions };

/**
 * Validate the bag at `location` (a folder, or a local `.zip`). Findings are in the result;
 * throws NotFoundError (nothing there) and the store's errors.
 */
export async function validateBagAt(
  location: string,
  options: ValidateBagAtOptions = {},
): Promise<BagValidation> {
  const { store: storeOptions, ...bagOptions } = options;
  const { store, file } = await openLocation(location, storeOptions);
  const source: BagSource & { close?(): Promise<void> } =
    file === undefined
      ? storeBagSource(store)
      : await openZipBagInStore(store, file, { location: `zip:${location}` });
  try {
    return await validateBag(source, bagOptions);
  } finally {
    await source.close?.();
  }
}

/**
 * Read the tool outputs of the deposit folder at `location`: every file is listed, special
 * entries (FIFOs, devices, undecodable names) are reported and never read, and the files under a
 * metadata folder are read up to TOOL_OUTPUT_MAX_BYTES (a larger one passes its first 8 KiB, to
 * be recognised and reported as too large). Symbolic links are not read. Throws
 * InvalidInputError when the location is a file, NotFoundError, and the store's errors.
 */
export async function readToolOutputsAt(
  location: string,
  options: { store?: OpenStoreOptions } = {},
): Promise<ToolOutputsResult> {
  const { store, file } = await openLocation(location, options.store);
  if (file !== undefined) {
    throw new InvalidInputError(`${quoteForMessage(location)} is a file, not a deposit folder`, {
      key: location,
    });
  }
  const deposit = await listDeposit(store);
  return readToolOutputs(deposit.outputs, deposit.paths, { specialEntries: deposit.special });
}

async function listDeposit(store: ReadableStore) {
  const paths: string[] = [];
  const special: ToolSpecialEntry[] = [];
  const outputs: ToolOutputFile[] = [];
  for await (const e of store.list('', { delimiter: false })) {
    if (e.kind === 'other') special.push({ path: e.key, type: e.type });
    if (e.kind !== 'file') continue;
    paths.push(e.key);
    if (e.symlink || metadataLocation(e.key) === null) continue;
    if (e.size <= TOOL_OUTPUT_MAX_BYTES) {
      outputs.push({ path: e.key, bytes: await store.readBytes(e.key, { maxBytes: TOOL_OUTPUT_MAX_BYTES }) });
      continue;
    }
    const head: Buffer[] = [];
    for await (const c of await store.read(e.key, { start: 0, end: 8191 })) head.push(c as Buffer);
    outputs.push({ path: e.key, bytes: Buffer.concat(head), size: e.size });
  }
  return { paths: paths.sort(), special, outputs };
}

/**
 * Read the METS file at `location` (streamed). Throws MalformedError for XML that is not
 * well-formed (the message gives line and column), InvalidInputError for a folder,
 * NotFoundError, and the store's errors.
 */
export async function readMetsAt(
  location: string,
  options: { store?: OpenStoreOptions } = {},
): Promise<MetsModel> {
  if (/^s3:\/\//i.test(location)) {
    const { store } = await openLocation(parentOf(location), options.store);
    return readMets(await store.read(lastSegmentOf(location)), { name: location });
  }
  const { store, file } = await openLocation(location, options.store);
  if (file === undefined) {
    throw new InvalidInputError(`${quoteForMessage(location)} is a folder, not a METS file`, {
      key: location,
    });
  }
  return readMets(await store.read(file), { name: location });
}

function lastSegmentOf(uri: string): string {
  const trimmed = uri.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function parentOf(uri: string): string {
  const trimmed = uri.replace(/\/+$/, '');
  return trimmed.slice(0, trimmed.lastIndexOf('/'));
}
