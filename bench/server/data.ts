/**
 * Inputs of the server benchmark, built once per size and cached under the bench directory:
 *
 * - a **source folder** `source-<N>/`: N files of 512 B in folders of 1,000
 *   (`objects/f000/file-000000.bin`, …) whose bytes are derived from their index (deterministic:
 *   a rebuild writes the same bytes), and a `mets.xml` listing each with its SHA-256 and size;
 * - a **server data folder** `data-<N>/` (what `STRONGROOM_DATA` points at): the OCFL storage
 *   root with the container `books` and the Archival Group `books/group` holding the N files,
 *   written by our own write path (one RepositoryWriter transaction: Fedora headers, sha512
 *   inventory); and two deposits made through the API (`POST /deposits`), whose working areas are
 *   hard-linked copies of the source folder: one for a new group (`books/new-group`: the diff adds
 *   everything) and one for `books/group` itself (the diff compares every file and finds nothing
 *   to change).
 *
 * `data-<N>.json` beside it describes what was built; a folder without it is an interrupted build
 * and is built again.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MetsDocument } from '../../lib/formats/mets/document.js';
import { writeMets } from '../../lib/formats/mets/writer.js';
import { closeDefaultPool } from '../../lib/hash/pool.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { type RunningServer, startServer } from './server-process.js';

/** Bytes per file. */
export const FILE_SIZE = 512;
/** Files per folder. */
const PER_FOLDER = 1000;
/** Repository path of the benchmark's Archival Group. */
export const GROUP = 'books/group';
/** Repository path of the group the "new group" deposit would create. */
export const NEW_GROUP = 'books/new-group';

/** One file of the source folder. */
export interface SourceFile {
  /** Path relative to the folder (and to the group). */
  path: string;
  sha256: string;
}

/** The built inputs. */
export interface ServerBenchData {
  files: number;
  /** The source folder (its files and mets.xml). */
  source: string;
  /** The server's data folder (`STRONGROOM_DATA`). */
  dataDir: string;
  /** Id of the deposit for `books/new-group`. */
  newGroupDeposit: string;
  /** Id of the deposit for `books/group` (same files: nothing to change). */
  sameGroupDeposit: string;
  /** Seconds our write path took to write the group. */
  groupWriteSeconds: number;
  /** Store key of the group's object root, relative to the storage root. */
  groupObjectRoot: string;
  /** Size of the group's root inventory in bytes. */
  inventoryBytes: number;
  /** Logical files in the group's head (content files and Fedora headers). */
  logicalFiles: number;
}

/** The path of file `i`. */
export function filePath(i: number): string {
  const folder = String(Math.floor(i / PER_FOLDER)).padStart(3, '0');
  return `objects/f${folder}/file-${String(i).padStart(6, '0')}.bin`;
}

/** The bytes of file `i`: a digest of its index as hex, repeated to {@link FILE_SIZE}. */
export function fileBytes(i: number): Buffer {
  const hex = createHash('sha256').update(`strongroom server bench ${i}`).digest('hex');
  return Buffer.from(hex.repeat(FILE_SIZE / hex.length), 'ascii');
}

function buildSource(dir: string, files: number): SourceFile[] {
  rmSync(dir, { recursive: true, force: true });
  const doc = MetsDocument.create({ title: 'Server benchmark deposit', created: '2026-01-01T00:00:00Z' });
  doc.addDirectory('objects');
  const list: SourceFile[] = [];
  for (let i = 0; i < files; i++) {
    const path = filePath(i);
    if (i % PER_FOLDER === 0) {
      mkdirSync(join(dir, path.slice(0, path.lastIndexOf('/'))), { recursive: true });
      doc.addDirectory(path.slice(0, path.lastIndexOf('/')));
    }
    const bytes = fileBytes(i);
    writeFileSync(join(dir, path), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    doc.addFile({ path, sha256, size: bytes.length, contentType: 'application/octet-stream' });
    list.push({ path, sha256 });
  }
  writeFileSync(join(dir, 'mets.xml'), writeMets(doc));
  return list;
}

async function writeGroup(dataDir: string, source: string, list: SourceFile[]): Promise<number> {
  const writer = await openRepositoryWriter(pathToFileURL(join(dataDir, 'repository')).href, {
    create: true,
  });
  const agent = { name: 'bench' };
  await writer.createContainer('books', { agent });
  const t0 = process.hrtime.bigint();
  const tx = writer.begin(GROUP, { agent, sources: [pathToFileURL(source).href], sourceVersion: null });
  tx.createContainer('objects');
  for (let i = 0; i < list.length; i += PER_FOLDER) {
    const p = list[i]!.path;
    tx.createContainer(p.slice(0, p.lastIndexOf('/')));
  }
  for (const f of list) {
    tx.putBinary(f.path, {
      source: pathToFileURL(join(source, f.path)).href,
      digest: f.sha256,
      size: FILE_SIZE,
    });
  }
  await tx.commit();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await closeDefaultPool();
  return seconds;
}

async function makeDeposit(server: RunningServer, group: string, source: string): Promise<string> {
  const res = await server.request('POST', '/deposits', {
    archivalGroup: `${server.url}/repository/${group}`,
    archivalGroupName: group,
  });
  if (res.status !== 201) throw new Error(`POST /deposits answered ${res.status}: ${res.body.slice(0, 300)}`);
  const deposit = JSON.parse(res.body) as { id: string; files: string };
  const area = fileURLToPath(deposit.files);
  // Hard links: 100,000 files without copying their bytes; nothing ever writes to them.
  const r = spawnSync('sh', ['-c', `cp -al "${source}/." "${area}/"`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`copying the deposit into ${area} failed`);
  return deposit.id.slice(deposit.id.lastIndexOf('/') + 1);
}

/** Build (or reuse) the inputs for `files` files under `root`. */
export async function benchData(root: string, files: number): Promise<ServerBenchData> {
  const describe = join(root, `data-${files}.json`);
  if (existsSync(describe)) return JSON.parse(readFileSync(describe, 'utf8')) as ServerBenchData;
  const source = join(root, `source-${files}`);
  const dataDir = join(root, `data-${files}`);
  console.log(`  building the ${files.toLocaleString('en-US')}-file inputs (once)…`);
  const list = buildSource(source, files);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const groupWriteSeconds = await writeGroup(dataDir, source, list);
  console.log(`  group written by our write path in ${groupWriteSeconds.toFixed(1)} s`);
  const server = await startServer({ dataDir, logFile: join(root, `build-${files}.log`) });
  let newGroupDeposit: string;
  let sameGroupDeposit: string;
  try {
    newGroupDeposit = await makeDeposit(server, NEW_GROUP, source);
    sameGroupDeposit = await makeDeposit(server, GROUP, source);
  } finally {
    await server.stop();
  }
  const { objectRoot, inventoryBytes, logicalFiles } = await describeGroup(dataDir);
  const data: ServerBenchData = {
    files,
    source,
    dataDir,
    newGroupDeposit,
    sameGroupDeposit,
    groupWriteSeconds,
    groupObjectRoot: objectRoot,
    inventoryBytes,
    logicalFiles,
  };
  writeFileSync(describe, JSON.stringify(data, null, 2));
  return data;
}

async function describeGroup(dataDir: string) {
  const writer = await openRepositoryWriter(pathToFileURL(join(dataDir, 'repository')).href);
  const objectRoot = writer.objectKeyOf(GROUP);
  const bytes = readFileSync(join(dataDir, 'repository', objectRoot, 'inventory.json'));
  const inventory = JSON.parse(bytes.toString('utf8')) as {
    head: string;
    versions: Record<string, { state: Record<string, string[]> }>;
  };
  const state = inventory.versions[inventory.head]!.state;
  const logicalFiles = Object.values(state).reduce((n, paths) => n + paths.length, 0);
  return { objectRoot, inventoryBytes: bytes.length, logicalFiles };
}
