/**
 * One measured job, run in a child process of its own so that every figure starts from a fresh
 * process (like a CLI call) and its peak RSS (`maxRSS`, which counts worker threads too) belongs
 * to that job alone. The parent passes a {@link JobSpec} as JSON in argv[2]; the child prints
 * one line `JOB-RESULT <json>` ({@link JobResult}) and exits 0, or prints the error and exits 1.
 *
 * Timed spans exclude process start-up and opening the store/storage root, and include
 * everything the operation itself does (reads, sidecar check, parse, build, hashing).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { LmdbCache } from '../../lib/cache/lmdb-cache.js';
import type { InventoryCache } from '../../lib/cache/port.js';
import type { StorageMap } from '../../lib/core/storage-map.js';
import { getStorageMap, getStorageMapJson } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { validateObject } from '../../lib/engine/validate/object.js';
import { openStore } from '../../lib/storage/location.js';
import type { ReadableStore } from '../../lib/storage/port.js';
import { s3ConfigFromEnv } from '../../server/config/s3-env.js';
import { ocflFsModule } from './paths.js';

/** Where a storage root is: a directory, or a bucket + key prefix on the S3 of the environment. */
export type BenchLocation = { kind: 'file'; root: string } | { kind: 's3'; bucket: string; prefix: string };

/** What a child process measures. */
export type JobSpec =
  /** Baseline: read the root inventory's bytes through the store and JSON.parse them. */
  | { job: 'inventory-parse'; location: BenchLocation; objectPath: string }
  /** Our storage map with no cache: read + sidecar check + parse + build. */
  | { job: 'map-cold'; location: BenchLocation; objectId: string; json?: boolean }
  /** Our storage map served from an LMDB cache at `lmdbDir` (filled first if it is empty). */
  | { job: 'map-warm'; location: BenchLocation; objectId: string; lmdbDir: string; json?: boolean }
  /** Our full object validation (with content fixity unless `fixity` is false), optionally cut off at a deadline. */
  | {
      job: 'validate';
      location: BenchLocation;
      objectPath: string;
      fixity: boolean;
      deadlineSeconds?: number;
    }
  /** @ocfl/ocfl-fs: load the storage root, read the object's inventory, list the head's files. */
  | { job: 'peer-map'; storageRoot: string; objectId: string }
  /** @ocfl/ocfl-fs: read every content file through its streams and check its digest. */
  | { job: 'peer-read'; storageRoot: string; objectId: string };

/** What a child reports. */
export interface JobResult {
  seconds: number;
  /** Peak resident set of the whole child process, MiB. */
  maxRssMiB: number;
  /** Job-specific facts (files, bytes, verdicts, a second warm figure). */
  detail: Record<string, unknown>;
}

/** A read-only store through the library's own opener (so S3 jobs load the SDK the way users do). */
async function openBenchStore(location: BenchLocation): Promise<ReadableStore> {
  if (location.kind === 'file') return openStore(pathToFileURL(location.root).href);
  const uri = `s3://${location.bucket}${location.prefix === '' ? '' : `/${location.prefix}`}`;
  return openStore(uri, { s3: s3ConfigFromEnv(process.env) });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - started) / 1000, value };
}

async function inventoryParse(spec: Extract<JobSpec, { job: 'inventory-parse' }>) {
  const store = await openBenchStore(spec.location);
  const { seconds, value } = await timed(async () => {
    // The baseline reads whatever size the inventory is (readBytes refuses over 64 MiB by default).
    const bytes = await store.readBytes(`${spec.objectPath}/inventory.json`, { maxBytes: 2 ** 31 - 1 });
    const inv = JSON.parse(bytes.toString('utf8')) as { manifest: object };
    return { bytes: bytes.length, manifest: Object.keys(inv.manifest).length };
  });
  return { seconds, detail: value };
}

async function mapCold(spec: Extract<JobSpec, { job: 'map-cold' }>) {
  const root = await openStorageRoot(await openBenchStore(spec.location));
  if (spec.json) {
    // What the CLI and the server send: the map as JSON text.
    const { seconds, value } = await timed(() => getStorageMapJson(root, spec.objectId));
    return { seconds, detail: { chars: value.length } };
  }
  const { seconds, value } = await timed(() => getStorageMap(root, spec.objectId));
  return { seconds, detail: { files: Object.keys(value.files).length, version: value.version.ocflVersion } };
}

/** Counts hits and misses so a "warm" figure is known to come from the cache. */
class CountingCache implements InventoryCache {
  hits = 0;
  misses = 0;
  constructor(private readonly inner: InventoryCache) {}
  async get(key: string): Promise<unknown> {
    const value = await this.inner.get(key);
    if (value === undefined) this.misses++;
    else this.hits++;
    return value;
  }
  put(key: string, value: unknown): Promise<void> {
    return this.inner.put(key, value);
  }
  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

async function mapWarm(spec: Extract<JobSpec, { job: 'map-warm' }>) {
  const cache = new CountingCache(LmdbCache.open({ path: spec.lmdbDir }));
  try {
    const root = await openStorageRoot(await openBenchStore(spec.location), { cache });
    const get = async (): Promise<string | StorageMap> =>
      spec.json ? getStorageMapJson(root, spec.objectId) : getStorageMap(root, spec.objectId);
    const first = await timed(get);
    // The first call in a fresh process is the figure (a restarted server's first request);
    // a second one shows the steady state of a process that keeps the cache open.
    const second = await timed(get);
    return {
      seconds: first.seconds,
      detail: {
        secondCallSeconds: second.seconds,
        size: typeof first.value === 'string' ? first.value.length : Object.keys(first.value.files).length,
        cacheHits: cache.hits,
        cacheMisses: cache.misses,
      },
    };
  } finally {
    await cache.close();
  }
}

/**
 * Validate; with `deadlineSeconds`, abort at the deadline and report how far hashing got
 * (`partial: true`), so a job too slow to finish still yields a rate.
 */
async function validate(spec: Extract<JobSpec, { job: 'validate' }>) {
  const store = await openBenchStore(spec.location);
  let hashed = { files: 0, bytes: 0, totalFiles: 0 };
  const abort = new AbortController();
  const timer = spec.deadlineSeconds
    ? setTimeout(() => abort.abort(), spec.deadlineSeconds * 1000)
    : undefined;
  const started = performance.now();
  try {
    const report = await validateObject(store, spec.objectPath, {
      fixity: spec.fixity,
      signal: abort.signal,
      onProgress: (p) => {
        hashed = { files: p.files, bytes: p.bytes, totalFiles: p.totalFiles };
      },
    });
    const errors = report.errors.slice(0, 5).map((i) => `${i.code} ${i.message}`);
    const seconds = (performance.now() - started) / 1000;
    return { seconds, detail: { valid: report.valid, errors, warnings: report.warnings.length, ...hashed } };
  } catch (err) {
    if (!abort.signal.aborted) throw err;
    return { seconds: (performance.now() - started) / 1000, detail: { partial: true, ...hashed } };
  } finally {
    clearTimeout(timer);
  }
}

/** The peer's API, loosely typed: it is plain CommonJS without bundled types we rely on. */
interface PeerObject {
  getInventory(): Promise<{
    digestAlgorithm: string;
    manifest: Record<string, string[]>;
    files(): Iterable<{ logicalPath: string; digest: string; contentPath: string }>;
  }>;
  createReadStream(contentPath: string): Promise<NodeJS.ReadableStream>;
}

async function openPeerObject(storageRoot: string, objectId: string): Promise<PeerObject> {
  const require = createRequire(import.meta.url);
  const ocfl = require(ocflFsModule) as {
    storage(config: { root: string }): { load(): Promise<unknown>; object(id: string): PeerObject };
  };
  const storage = ocfl.storage({ root: storageRoot });
  await storage.load();
  return storage.object(objectId);
}

async function peerMap(spec: Extract<JobSpec, { job: 'peer-map' }>) {
  const { seconds, value } = await timed(async () => {
    const object = await openPeerObject(spec.storageRoot, spec.objectId);
    const inv = await object.getInventory();
    const files: Record<string, { hash: string; fullPath: string }> = {};
    for (const f of inv.files()) files[f.logicalPath] = { hash: f.digest, fullPath: f.contentPath };
    return Object.keys(files).length;
  });
  return { seconds, detail: { files: value } };
}

async function peerRead(spec: Extract<JobSpec, { job: 'peer-read' }>) {
  const object = await openPeerObject(spec.storageRoot, spec.objectId);
  const { seconds, value } = await timed(async () => {
    const inv = await object.getInventory();
    const work = Object.entries(inv.manifest).flatMap(([digest, paths]) => paths.map((p) => ({ digest, p })));
    let bytes = 0;
    let mismatches = 0;
    let next = 0;
    // Four reads in flight, each streamed through a hash as the peer's own digest helper does.
    const lane = async () => {
      while (next < work.length) {
        const { digest, p } = work[next++]!;
        const hash = createHash(inv.digestAlgorithm);
        for await (const chunk of await object.createReadStream(p)) {
          bytes += (chunk as Buffer).length;
          hash.update(chunk as Buffer);
        }
        if (hash.digest('hex') !== digest.toLowerCase()) mismatches++;
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    return { files: work.length, bytes, mismatches };
  });
  return { seconds, detail: value };
}

async function run(spec: JobSpec): Promise<Omit<JobResult, 'maxRssMiB'>> {
  switch (spec.job) {
    case 'inventory-parse':
      return inventoryParse(spec);
    case 'map-cold':
      return mapCold(spec);
    case 'map-warm':
      return mapWarm(spec);
    case 'validate':
      return validate(spec);
    case 'peer-map':
      return peerMap(spec);
    case 'peer-read':
      return peerRead(spec);
  }
}

run(JSON.parse(process.argv[2] ?? '{}') as JobSpec).then(
  (r) => {
    const result: JobResult = { ...r, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
    console.log(`JOB-RESULT ${JSON.stringify(result)}`);
    process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
