/**
 * `put`: make an Archival Group's next version mirror a folder (a directory or an S3 prefix).
 * The folder is listed and hashed (SHA-256, on the worker pool for local files), compared with
 * the group's head by digest, and the differences committed as one transaction: adds, patches,
 * deletes, and the folders that appear or empty. Nothing changes when the group already mirrors
 * the folder. Entries that cannot be read as files (FIFOs, devices, undecodable names, links) are
 * refused together, before anything is written.
 */
import { pathToFileURL } from 'node:url';
import { hasCode, UnprocessableError } from '../core/errors.js';
import { fedoraIdOf } from '../core/fedora/header-writer.js';
import type { BinaryResource, ObjectResources } from '../core/fedora/model.js';
import { mediaTypeOfName, OCTET_STREAM } from '../core/media-types.js';
import type { ObjectChange } from '../core/plan/changes.js';
import { type MirrorSourceFile, mirrorChanges } from '../core/plan/mirror.js';
import { digestFiles } from '../hash/digest-files.js';
import type { HashPool } from '../hash/pool.js';
import { type OpenStoreOptions, openStore, parseLocation } from '../storage/location.js';
import type { ReadableStore } from '../storage/port.js';
import type { CommitProgress, CommitResult } from '../txn/commit.js';
import { isExportStub, STUB_MAGIC, STUB_MAX_BYTES } from '../txn/export.js';
import type { RepositoryWriter } from '../txn/writer.js';
import { openRepository } from './repository.js';

/** Options of {@link putFolder}. */
export interface PutFolderOptions {
  agent: { name: string; address?: string };
  message?: string;
  /** Name of a group created by this put (default: the last path element). */
  name?: string;
  /** Create missing parent containers (default false: the parent must exist). */
  parents?: boolean;
  /** How to open the source location (S3 settings). */
  store?: OpenStoreOptions;
  /** Hashing threads for local sources (default: the shared pool). */
  pool?: HashPool;
  /** Called while hashing the source (files/bytes done) and during the commit. */
  onProgress?: (p: PutProgress) => void;
  signal?: AbortSignal;
}

/** Progress of a put: hashing the source, then the commit's own steps. */
export type PutProgress =
  | { phase: 'hash'; files: number; bytes: number; totalFiles: number; totalBytes: number }
  | ({ phase: 'commit' } & CommitProgress);

/** What a put did. */
export interface PutResult {
  /** The commit, or undefined when the group already mirrored the folder. */
  commit?: CommitResult;
  changes: ObjectChange[];
}

/**
 * Mirror `source` into the group at `groupPath`. Throws UnprocessableError (unreadable entries,
 * or changes the group cannot take, each named), ConflictError (the group moved meanwhile),
 * NotFoundError (no parent container), FixityMismatchError (a file changed while it was copied),
 * and the stores' errors.
 */
export async function putFolder(
  writer: RepositoryWriter,
  groupPath: string,
  source: string,
  options: PutFolderOptions,
): Promise<PutResult> {
  const store = await openStore(source, options.store);
  const files = await hashSource(store, source, options);
  const reader = await openRepository(writer.store);
  const head = await currentState(reader, fedoraIdOf(groupPath));
  const changes = mirrorChanges(head.current, await keepStubsUnchanged(store, files, head.current));
  if (changes.length === 0) return { changes };
  if (options.parents) await createParents(writer, groupPath, options.agent);
  const tx = writer.begin(groupPath, {
    agent: options.agent,
    sources: [source],
    sourceVersion: head.version ?? null,
    ...(options.message !== undefined && { message: options.message }),
    ...(options.name !== undefined && { name: options.name }),
  });
  for (const c of changes) {
    if (c.op === 'createContainer') tx.createContainer(c.path);
    else if (c.op === 'putBinary') {
      tx.putBinary(c.path, {
        source: c.source,
        digest: c.sha256,
        contentType: mediaTypeOfName(c.path) ?? OCTET_STREAM,
        ...(c.size !== undefined && { size: c.size }),
      });
    } else if (c.op === 'delete') tx.delete(c.path);
  }
  const progress = options.onProgress;
  const commit = await tx.commit({
    ...(progress && { onProgress: (p: CommitProgress) => progress({ phase: 'commit', ...p }) }),
    ...(options.signal && { signal: options.signal }),
  });
  return { commit, changes };
}

/**
 * Export stubs in the source (see lib/txn/export.ts) stand for content the group already has:
 * a stub at a path the group holds counts as unchanged; a stub anywhere else is refused, since a
 * stub is never stored as content.
 */
async function keepStubsUnchanged(
  store: ReadableStore,
  files: SourceFile[],
  current: { binaries: Map<string, string | undefined> },
): Promise<MirrorSourceFile[]> {
  const out: MirrorSourceFile[] = [];
  const problems: Array<{ path: string; message: string }> = [];
  for (const f of files) {
    const small = f.size !== undefined && f.size <= STUB_MAX_BYTES && f.size >= STUB_MAGIC.length;
    const stub = small && isExportStub(await store.readBytes(keyOf(f), { maxBytes: STUB_MAX_BYTES }));
    if (!stub) out.push(f);
    else if (current.binaries.has(f.path))
      out.push({ ...f, sha256: current.binaries.get(f.path) ?? f.sha256 });
    else
      problems.push({
        path: f.path,
        message: 'an export stub stands here, and a stub is never stored as content',
      });
  }
  if (problems.length > 0)
    throw new UnprocessableError(`${problems.length} export stub(s) cannot be preserved`, problems);
  return out;
}

function keyOf(f: SourceFile): string {
  return f.key;
}

/** A source file with its key in the source store. */
type SourceFile = MirrorSourceFile & { key: string };

async function hashSource(
  store: ReadableStore,
  source: string,
  options: PutFolderOptions,
): Promise<SourceFile[]> {
  const keys: Array<{ key: string; size: number }> = [];
  const unreadable: Array<{ path: string; message: string }> = [];
  for await (const e of store.list('', {
    delimiter: false,
    ...(options.signal && { signal: options.signal }),
  })) {
    if (e.kind === 'other') unreadable.push({ path: e.key, message: `not a regular file (${e.type})` });
    else if (e.kind === 'file' && e.symlink) unreadable.push({ path: e.key, message: 'a symbolic link' });
    else if (e.kind === 'file') keys.push({ key: e.key, size: e.size });
  }
  if (unreadable.length > 0) {
    throw new UnprocessableError(
      `${unreadable.length} entr(ies) of ${source} cannot be preserved`,
      unreadable,
    );
  }
  const totalBytes = keys.reduce((n, k) => n + k.size, 0);
  const results = await digestFiles(
    store,
    keys.map((k) => ({ key: k.key, algorithms: ['sha256'] })),
    {
      ...(options.pool && { pool: options.pool }),
      ...(options.signal && { signal: options.signal }),
      ...(options.onProgress && {
        onProgress: (p: { files: number; bytes: number }) =>
          options.onProgress!({
            phase: 'hash',
            files: p.files,
            bytes: p.bytes,
            totalFiles: keys.length,
            totalBytes,
          }),
      }),
    },
  );
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw failed[0]!.error!;
  const uriOf = sourceUriMaker(source);
  return results.map((r) => ({
    path: r.key,
    key: r.key,
    sha256: r.digests.sha256!,
    size: r.size,
    source: uriOf(r.key),
  }));
}

function sourceUriMaker(source: string): (key: string) => string {
  const loc = parseLocation(source);
  if (loc.kind === 'file') {
    const base = pathToFileURL(loc.path.endsWith('/') ? loc.path : `${loc.path}/`).href;
    return (key) => new URL(key.split('/').map(encodeURIComponent).join('/'), base).href;
  }
  const trimmed = source.replace(/\/+$/, '');
  return (key) => `${trimmed}/${key}`;
}

async function currentState(
  reader: Awaited<ReturnType<typeof openRepository>>,
  id: string,
): Promise<{
  version?: string;
  current: { binaries: Map<string, string | undefined>; containers: Set<string> };
}> {
  let resources: ObjectResources;
  try {
    resources = await reader.resources(id);
  } catch (err) {
    if (hasCode(err, 'NOT_FOUND')) return { current: { binaries: new Map(), containers: new Set() } };
    throw err;
  }
  const binaries = new Map<string, string | undefined>();
  const containers = new Set<string>();
  for (const [path, r] of resources.byPath) {
    if (path === '') continue;
    if (r.type === 'Binary') binaries.set(path, (r as BinaryResource).digest);
    else containers.add(path);
  }
  return { version: resources.version.ocflVersion, current: { binaries, containers } };
}

async function createParents(writer: RepositoryWriter, groupPath: string, agent: PutFolderOptions['agent']) {
  const parts = groupPath.split('/');
  for (let i = 1; i < parts.length; i++) {
    const path = parts.slice(0, i).join('/');
    if ((await writer.kindOf(path)) === 'absent') await writer.createContainer(path, { agent });
  }
}
