/**
 * Generator of valid OCFL 1.1 benchmark objects, each in its own storage root (layout 0004,
 * SHA-256 3×3, the Fedora default), cached under {@link benchCacheDir} by parameters:
 *
 * - `small`: many small files (default 100,000 of 64 B–4 KiB over 5 versions) with additions,
 *   modifications, deletions and renames (see `plan.ts`); version inventories + sidecars.
 * - `large`: a few multi-GiB files in one version (default 2 × 2 GiB), sha512 or sha256.
 *
 * Content is deterministic (seeded), so a cached object is the one a rerun would write. Each
 * object is written to a temporary directory, renamed into place, and only then described by
 * `<key>.json` next to it: a directory without its description is an interrupted run and is
 * rebuilt. {@link checkWithOcflPy} validates an object independently before it is trusted.
 *
 *   node dist/bench/ocfl/generate.js [--quick] [--kind small|large|all] [--no-check] [--fedora]
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serializeHeader } from '../../lib/core/fedora/header-writer.js';
import type { BenchConfig } from './config.js';
import { benchConfig } from './config.js';
import { type GeneratedInventory, type GeneratedVersion, writeInventories } from './inventory-writer.js';
import { benchCacheDir } from './paths.js';
import { type ObjectPlan, planSmallObject, type SmallObjectParams } from './plan.js';
import { bytePool } from './prng.js';
import { checkWithOcflPy } from './validators.js';

/** Bump when the generator's output changes for the same parameters: old caches stop matching. */
const GENERATOR_FORMAT = 1;
const POOL_SIZE = 4 << 20;
const LAYOUT = '0004-hashed-n-tuple-storage-layout';

/** A generated object and the facts the benchmark needs about it. */
export interface BenchObject {
  kind: 'small' | 'large';
  /** Cache key (also the storage root's directory name and S3 prefix). */
  key: string;
  /** Absolute path of the storage root. */
  storageRoot: string;
  objectId: string;
  /** Object root relative to the storage root. */
  objectPath: string;
  /** Absolute path of the object root. */
  objectRoot: string;
  digestAlgorithm: 'sha512' | 'sha256';
  versions: number;
  /** Manifest entries (= content files on disk). */
  contentFiles: number;
  contentBytes: number;
  /** Logical files in the head version. */
  headFiles: number;
  /** Size of the root inventory. */
  inventoryBytes: number;
  inventoryDigest: string;
  generatedSeconds: number;
  /** The independent validator's verdict, when it ran. */
  check?: { validator: string; valid: boolean; summary: string };
}

/** Parameters of the large-files object. */
export interface LargeObjectParams {
  files: number;
  /** Bytes per file. */
  size: number;
  digestAlgorithm: 'sha512' | 'sha256';
  seed: number;
}

/** Object root of `id` under layout 0004 (SHA-256, 3 tuples of 3, full digest as the leaf). */
export function objectPathFor(id: string): string {
  const hex = createHash('sha256').update(id, 'utf8').digest('hex');
  return `${hex.slice(0, 3)}/${hex.slice(3, 6)}/${hex.slice(6, 9)}/${hex}`;
}

function initStorageRoot(dir: string): void {
  mkdirSync(join(dir, 'extensions', LAYOUT), { recursive: true });
  writeFileSync(join(dir, '0=ocfl_1.1'), 'ocfl_1.1\n');
  const layout = { extension: LAYOUT, description: 'Hashed N-tuple storage layout (benchmark objects)' };
  writeFileSync(join(dir, 'ocfl_layout.json'), JSON.stringify(layout, null, 2));
  const config = {
    extensionName: LAYOUT,
    digestAlgorithm: 'sha256',
    tupleSize: 3,
    numberOfTuples: 3,
    shortObjectRoot: false,
  };
  writeFileSync(join(dir, 'extensions', LAYOUT, 'config.json'), JSON.stringify(config, null, 2));
}

function initObjectRoot(objectRoot: string): void {
  mkdirSync(objectRoot, { recursive: true });
  writeFileSync(join(objectRoot, '0=ocfl_object_1.1'), 'ocfl_object_1.1\n');
}

/** Write one small file; returns its digest. */
function writeSmallFile(path: string, index: number, body: Buffer, algorithm: string): string {
  const content = Buffer.concat([Buffer.from(`#${index}\n`), body]);
  writeFileSync(path, content);
  return createHash(algorithm).update(content).digest('hex');
}

/** Write the content files of the plan; returns content index → digest. */
function writeSmallContent(objectRoot: string, plan: ObjectPlan, pool: Buffer, algorithm: string): string[] {
  const made = new Set<string>();
  return plan.contents.map((c) => {
    const path = join(objectRoot, c.contentPath);
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const header = `#${c.index}\n`.length;
    return writeSmallFile(
      path,
      c.index,
      pool.subarray(c.poolOffset, c.poolOffset + c.size - header),
      algorithm,
    );
  });
}

/** The generator's view of the inventories from the plan and the digests. */
function smallInventory(
  id: string,
  plan: ObjectPlan,
  digests: string[],
  extra: Record<string, string> = {},
): GeneratedInventory {
  const added: Record<string, string[]>[] = plan.versions.map(() => ({}));
  // Files every version keeps (a Fedora root's header and RDF): added by v1, in every state.
  for (const [logical, digest] of Object.entries(extra)) added[0]![digest] = [`v1/content/${logical}`];
  for (const c of plan.contents) added[c.version - 1]![digests[c.index]!] = [c.contentPath];
  const versions: GeneratedVersion[] = plan.versions.map((v) => {
    const state: Record<string, string[]> = {};
    for (const [logical, digest] of Object.entries(extra)) state[digest] = [logical];
    for (const [logical, index] of v.state) {
      const digest = digests[index]!;
      if (state[digest]) state[digest].push(logical);
      else state[digest] = [logical];
    }
    return { name: v.name, created: v.created, message: v.message, state };
  });
  return { id, digestAlgorithm: 'sha512', added, versions };
}

/**
 * A Fedora root for an object whose id is `id` (`info:fedora/<path>`): its container RDF and
 * header, written into `v1/content/`, so that a Fedora-shaped writer (RepositoryWriter) can
 * patch the object. The other files stay plain OCFL content (no header each): enough for a
 * writer, which reads only the headers of what a change touches. Returns logical path → sha512.
 */
function writeFedoraRoot(objectRoot: string, id: string): Record<string, string> {
  const rdf = Buffer.from(`<${id}> <http://purl.org/dc/terms/title> "benchmark object" .\n`);
  const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('hex');
  const sha256 = createHash('sha256').update(rdf).digest('hex');
  const header = serializeHeader({
    id,
    parent: 'info:fedora',
    kind: 'container',
    archivalGroup: true,
    objectRoot: true,
    created: '2024-01-01T12:00:00Z',
    createdBy: 'bench',
    lastModified: '2024-01-01T12:00:00Z',
    lastModifiedBy: 'bench',
    contentPath: 'fcr-container.nt',
    contentSize: rdf.length,
    digests: { sha512: sha512(rdf), sha256 },
  });
  mkdirSync(join(objectRoot, 'v1', 'content', '.fcrepo'), { recursive: true });
  writeFileSync(join(objectRoot, 'v1', 'content', 'fcr-container.nt'), rdf);
  writeFileSync(join(objectRoot, 'v1', 'content', '.fcrepo', 'fcr-root.json'), header);
  return { 'fcr-container.nt': sha512(rdf), '.fcrepo/fcr-root.json': sha512(header) };
}

/**
 * Build (or reuse from the cache) the small-files object. `check` runs ocfl-py on a newly
 * built object (default true) and records its verdict; `fedora` gives it a Fedora root (id
 * `info:fedora/<key>`, see {@link writeFedoraRoot}) so RepositoryWriter can patch it. Throws if
 * generation fails.
 */
export function ensureSmallObject(
  params: SmallObjectParams,
  options: { check?: boolean; fedora?: boolean } = {},
): BenchObject {
  const key = `small-g${GENERATOR_FORMAT}-f${params.files}-v${params.versions}-s${params.minSize}-${params.maxSize}-r${params.seed}${options.fedora ? '-fedora' : ''}`;
  const id = options.fedora ? `info:fedora/${key}` : `https://strongroom.invalid/bench/${key}`;
  return ensureCached(key, id, options.check ?? true, (objectRoot) => {
    const plan = planSmallObject(params, POOL_SIZE);
    const digests = writeSmallContent(objectRoot, plan, bytePool(params.seed, POOL_SIZE), 'sha512');
    const extra = options.fedora ? writeFedoraRoot(objectRoot, id) : {};
    const inv = writeInventories(objectRoot, smallInventory(id, plan, digests, extra));
    return {
      kind: 'small',
      digestAlgorithm: 'sha512',
      versions: plan.versions.length,
      contentFiles: plan.contents.length,
      contentBytes: plan.contents.reduce((n, c) => n + c.size, 0),
      headFiles: plan.versions.at(-1)!.state.size,
      inventoryBytes: inv.bytes,
      inventoryDigest: inv.digest,
    };
  });
}

/** Write one large file in 8 MiB blocks, each stamped with (file, block) so no block repeats. */
function writeLargeFile(
  path: string,
  fileIndex: number,
  size: number,
  pool: Buffer,
  algorithm: string,
): string {
  const block = Buffer.allocUnsafe(8 << 20);
  for (let o = 0; o < block.length; o += pool.length) pool.copy(block, o);
  const hash = createHash(algorithm);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0, b = 0; written < size; b++) {
      block.writeUInt32LE(fileIndex, 0);
      block.writeUInt32LE(b, 4);
      const chunk = block.subarray(0, Math.min(block.length, size - written));
      writeSync(fd, chunk);
      hash.update(chunk);
      written += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Build (or reuse from the cache) the large-files object (one version). */
export function ensureLargeObject(params: LargeObjectParams, options: { check?: boolean } = {}): BenchObject {
  const alg = params.digestAlgorithm;
  const key = `large-g${GENERATOR_FORMAT}-f${params.files}-b${params.size}-${alg}-r${params.seed}`;
  const id = `https://strongroom.invalid/bench/${key}`;
  return ensureCached(key, id, options.check ?? true, (objectRoot) => {
    const pool = bytePool(params.seed, POOL_SIZE);
    mkdirSync(join(objectRoot, 'v1', 'content'), { recursive: true });
    const added: Record<string, string[]> = {};
    const state: Record<string, string[]> = {};
    for (let i = 0; i < params.files; i++) {
      const name = `large-${i}.bin`;
      const digest = writeLargeFile(join(objectRoot, 'v1', 'content', name), i, params.size, pool, alg);
      added[digest] = [`v1/content/${name}`];
      state[digest] = [name];
    }
    const v1 = { name: 'v1', created: '2024-01-01T12:00:00Z', message: 'large files', state };
    const inv = writeInventories(objectRoot, { id, digestAlgorithm: alg, added: [added], versions: [v1] });
    return {
      kind: 'large',
      digestAlgorithm: alg,
      versions: 1,
      contentFiles: params.files,
      contentBytes: params.files * params.size,
      headFiles: params.files,
      inventoryBytes: inv.bytes,
      inventoryDigest: inv.digest,
    };
  });
}

type Built = Omit<
  BenchObject,
  'key' | 'storageRoot' | 'objectId' | 'objectPath' | 'objectRoot' | 'generatedSeconds'
>;

/** Reuse `<key>.json` + `<key>/` when both exist; otherwise build into a temp dir and rename. */
function ensureCached(
  key: string,
  id: string,
  check: boolean,
  build: (objectRoot: string) => Built,
): BenchObject {
  const cache = benchCacheDir();
  const storageRoot = join(cache, key);
  const described = join(cache, `${key}.json`);
  if (existsSync(described) && existsSync(storageRoot)) {
    const obj = JSON.parse(readFileSync(described, 'utf8')) as BenchObject;
    if (!check || obj.check) return obj;
    return describe(described, { ...obj, check: checkWithOcflPy(obj.objectRoot) });
  }
  rmSync(storageRoot, { recursive: true, force: true });
  const tmp = join(cache, `${key}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const objectPath = objectPathFor(id);
  const started = performance.now();
  initStorageRoot(tmp);
  initObjectRoot(join(tmp, objectPath));
  const built = build(join(tmp, objectPath));
  renameSync(tmp, storageRoot);
  const obj: BenchObject = {
    ...built,
    key,
    storageRoot,
    objectId: id,
    objectPath,
    objectRoot: join(storageRoot, objectPath),
    generatedSeconds: (performance.now() - started) / 1000,
  };
  if (check) obj.check = checkWithOcflPy(obj.objectRoot);
  return describe(described, obj);
}

function describe(path: string, obj: BenchObject): BenchObject {
  writeFileSync(path, JSON.stringify(obj, null, 2));
  return obj;
}

/** Build the objects a configuration needs (small, large sha512, large sha256), cached. */
export function ensureBenchObjects(
  config: BenchConfig,
  kinds: 'small' | 'large' | 'all' = 'all',
  check = true,
  fedora = false,
): BenchObject[] {
  const out: BenchObject[] = [];
  if (kinds !== 'large') out.push(ensureSmallObject(config.small, { check, fedora }));
  if (kinds !== 'small') {
    for (const digestAlgorithm of ['sha512', 'sha256'] as const) {
      out.push(ensureLargeObject({ ...config.large, digestAlgorithm }, { check }));
    }
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const config = benchConfig(argv);
  const kind = (argv.find((a) => a.startsWith('--kind='))?.slice(7) ?? 'all') as 'small' | 'large' | 'all';
  const fedora = argv.includes('--fedora');
  for (const obj of ensureBenchObjects(config, kind, !argv.includes('--no-check'), fedora)) {
    console.log(JSON.stringify(obj, null, 2));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
