/**
 * Independent referees judge what Strongroom writes: ocfl-py 2.1.0 (PyPI) and ocfl-java 2.2.2
 * (Maven Central, the library Fedora 6 stores through), installed by scripts/referees.sh. On the
 * filesystem, one storage root gets a three-version Archival Group with awkward names in each
 * inventory digest algorithm (sha512, sha256), a standalone container and a tombstone; then
 * - ocfl-py validates every object with no errors and no warnings but the expected ones (W004 for
 *   sha256), and the storage root: it calls the root invalid with E071 only because it does not
 *   implement the 0004 layout (docs/REFEREES.md), so its walk of the hierarchy must find nothing;
 * - ocfl-java validates every object with content fixity (the same rule for warnings) and reads
 *   every logical file of every version back: the same paths as our inventory, the same digests,
 *   the bytes we deposited (SHA-256), without writing anything to the root.
 * Skipped when the referees are not installed, except in CI (CI=true), where that fails.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { openRepositoryWriter, type RepositoryWriter } from '../../lib/txn/writer.js';
import {
  findReferees,
  type OcflJavaObject,
  ocflJava,
  ocflPyObject,
  ocflPyRoot,
  ocflPyVersion,
  type RefereeIssue,
  type Referees,
} from '../referees/referees.js';
import { tempDir } from './helpers.js';

const agent = { name: 'https://example.org/agents/referee', address: 'mailto:referee@example.org' };

/** Repository path → bytes of every binary in one version of the group. */
type Tree = Record<string, Buffer>;

/** One version of the referee group: its files, and stored names to change (path → new name). */
interface VersionSpec {
  message: string;
  files: Tree;
  renames?: Record<string, string>;
}

const NFC = 'caf\u00e9.txt';
const NFD = 'cafe\u0301.txt';

/** The group's three versions: every awkward name in v1; v2 and v3 patch, delete, add, rename. */
function refereeVersions(): VersionSpec[] {
  const b = (s: string) => Buffer.from(s);
  const v1: Tree = {
    'mets.xml': b('<mets/>'),
    'objects/a b.txt': b('a space'),
    'objects/a%20b.txt': b('a literal %20, which must not become a space'),
    'objects/100% sure.txt': b('percent'),
    'objects/#hash.txt': b('hash'),
    'objects/[bracket].txt': b('brackets'),
    'objects/what?.txt': b('question mark'),
    'objects/-leading-dash.txt': b('leading dash'),
    [`objects/unicode/${NFC}`]: b('NFC: one code point for the accented e'),
    [`objects/unicode/${NFD}`]: b('NFD: e and a combining accent, a different name'),
    'objects/unicode/📦 box.txt': b('outside the basic multilingual plane'),
    'objects/deep/er/est/file.txt': b('three folders down'),
    'objects/empty.txt': Buffer.alloc(0),
    'objects/big.bin': randomBytes(5 * 1024 * 1024),
  };
  const v2: Tree = { ...v1 };
  v2['objects/a b.txt'] = b('a space, patched in v2');
  delete v2['objects/[bracket].txt'];
  v2['objects/new folder/added #2.txt'] = b('added in v2');
  v2['objects/copy of hash.txt'] = b('hash'); // same bytes as #hash.txt: read from v1's content
  const v3: Tree = { ...v2 };
  v3[`objects/unicode/${NFD}`] = b('NFD, patched in v3');
  v3['objects/empty.txt'] = b('no longer empty');
  delete v3['objects/deep/er/est/file.txt']; // and its three emptied folders
  v3['objects/[bracket].txt'] = b('back on its tombstone in v3');
  v3['objects/v3 [x] %41?.txt'] = b('added in v3');
  return [
    { message: 'v1: every awkward name', files: v1 },
    {
      message: 'v2: patch, delete, add, rename',
      files: v2,
      renames: { 'objects/what?.txt': 'What? (renamed)' },
    },
    { message: 'v3: more', files: v3, renames: { [`objects/unicode/${NFC}`]: 'Café, renamed' } },
  ];
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every folder of a tree's paths, parents first. */
function foldersOf(tree: Tree): string[] {
  const out = new Set<string>();
  for (const path of Object.keys(tree)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('/'));
  }
  return [...out].sort((a, b) => a.split('/').length - b.split('/').length);
}

/**
 * Write the Archival Group at `path`, one version per spec, each mirroring its tree: new folders
 * and files added, changed files patched, missing files and folders deleted, then the renames.
 * This is what `strongroom put <root> <path> <folder>` does for each tree; the test will switch
 * to it when the CLI exists.
 */
async function writeGroup(
  writer: RepositoryWriter,
  path: string,
  depositDir: string,
  versions: VersionSpec[],
): Promise<void> {
  let before: Tree = {};
  for (const [i, spec] of versions.entries()) {
    const dir = join(depositDir, `${path.replaceAll('/', '_')}-v${i + 1}`);
    const tx = writer.begin(path, {
      agent,
      message: spec.message,
      sources: [pathToFileURL(dir).href],
      sourceVersion: i === 0 ? null : `v${i}`,
      name: 'Referee group',
    });
    const oldFolders = foldersOf(before);
    const newFolders = foldersOf(spec.files);
    for (const folder of newFolders) if (!oldFolders.includes(folder)) tx.createContainer(folder);
    for (const [file, bytes] of Object.entries(spec.files)) {
      if (before[file]?.equals(bytes)) continue;
      const local = join(dir, ...file.split('/'));
      mkdirSync(join(local, '..'), { recursive: true });
      writeFileSync(local, bytes);
      tx.putBinary(file, { source: pathToFileURL(local).href, digest: sha256(bytes), size: bytes.length });
    }
    for (const file of Object.keys(before)) if (!(file in spec.files)) tx.delete(file);
    for (const folder of oldFolders.reverse()) if (!newFolders.includes(folder)) tx.delete(folder);
    for (const [file, name] of Object.entries(spec.renames ?? {})) tx.rename(file, name);
    await tx.commit();
    before = spec.files;
  }
}

/** Fedora's housekeeping files in an object (headers, container RDF), as opposed to binaries. */
function isHousekeeping(logicalPath: string): boolean {
  return logicalPath.startsWith('.fcrepo/') || /(^|\/)fcr-container\.nt$/.test(logicalPath);
}

interface InventoryJson {
  digestAlgorithm: string;
  head: string;
  manifest: Record<string, string[]>;
  versions: Record<string, { state: Record<string, string[]> }>;
}

/**
 * Everything in ocfl-java's reading of one object that disagrees with our inventory, with the
 * bytes on disk, or (for binaries) with the bytes deposited. Empty when all agree.
 */
function disagreements(objectDir: string, objectKey: string, java: OcflJavaObject, trees?: Tree[]): string[] {
  const inv = JSON.parse(readFileSync(join(objectDir, 'inventory.json'), 'utf8')) as InventoryJson;
  const out: string[] = [];
  if (java.exception) out.push(`ocfl-java threw: ${java.exception}`);
  if (java.head !== inv.head) out.push(`head ${java.head} ≠ ${inv.head}`);
  if (java.digestAlgorithm !== inv.digestAlgorithm) out.push(`algorithm ${java.digestAlgorithm}`);
  const javaVersions = Object.keys(java.versions ?? {});
  if (javaVersions.join() !== Object.keys(inv.versions).join()) out.push(`versions ${javaVersions}`);
  for (const [v, { state }] of Object.entries(inv.versions)) {
    const digestOf = new Map(
      Object.entries(state).flatMap(([d, paths]) => paths.map((p) => [p, d] as const)),
    );
    const files = java.versions?.[v] ?? [];
    const seen = files.map((f) => f.path).sort();
    if (seen.join('\n') !== [...digestOf.keys()].sort().join('\n')) {
      out.push(
        `${v}: ocfl-java lists ${JSON.stringify(seen)}, our state ${JSON.stringify([...digestOf.keys()])}`,
      );
    }
    const tree = trees?.[Number(v.slice(1)) - 1];
    if (tree) {
      const binaries = seen.filter((p) => !isHousekeeping(p));
      if (binaries.join('\n') !== Object.keys(tree).sort().join('\n')) {
        out.push(
          `${v}: binaries ${JSON.stringify(binaries)} ≠ deposited ${JSON.stringify(Object.keys(tree))}`,
        );
      }
    }
    for (const f of files) {
      const where = `${v} ${JSON.stringify(f.path)}`;
      const digest = digestOf.get(f.path);
      if (f.exception) out.push(`${where}: ${f.exception}`);
      if (!digest) continue;
      if (f.fixity[inv.digestAlgorithm] !== digest)
        out.push(`${where}: digest ${f.fixity[inv.digestAlgorithm]}`);
      const contentPaths = inv.manifest[digest] ?? [];
      if (!contentPaths.some((c) => `${objectKey}/${c}` === f.storagePath)) {
        out.push(`${where}: read from ${f.storagePath}, not a content path of ${digest.slice(0, 12)}…`);
      }
      const onDisk = sha256(readFileSync(join(objectDir, ...contentPaths[0]!.split('/'))));
      if (f.sha256 !== onDisk)
        out.push(`${where}: ocfl-java read bytes with SHA-256 ${f.sha256}, stored ${onDisk}`);
      const deposited = tree?.[f.path];
      if (deposited && f.sha256 !== sha256(deposited)) out.push(`${where}: not the deposited bytes`);
    }
  }
  return out;
}

/** Paths, sizes and modification times of everything under `dir`: to see that nobody wrote. */
function snapshot(dir: string): string {
  const lines: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${entry}` : entry;
      const st = statSync(join(dir, path));
      lines.push(`${path} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(path);
    }
  };
  walk('');
  return lines.join('\n');
}

/** An object the referees judge, and the warnings we expect of it (codes, without suffix). */
interface Judged {
  path: string;
  /** The deposited trees, one per version, for a group. */
  trees?: Tree[];
  expectedWarnings: string[];
}

/** Issues other than the expected warnings (W004a counts as W004). */
function unexpected(issues: readonly RefereeIssue[] = [], expected: readonly string[] = []): RefereeIssue[] {
  return issues.filter((i) => !expected.includes(i.code.slice(0, 4)));
}

/** The storage root the referees judge: two groups (sha512, sha256), a container, a tombstone. */
async function writeRefereeRoot(repoDir: string, depositDir: string) {
  const repo = pathToFileURL(repoDir).href;
  const writer = await openRepositoryWriter(repo, { create: true });
  const sha256Writer = await openRepositoryWriter(repo, { digestAlgorithm: 'sha256' });
  await writer.createContainer('books', { agent, name: 'Books', message: 'a standalone container' });
  await writer.createContainer('gone', { agent, message: 'soon a tombstone' });
  await writer.deleteContainer('gone', { agent });
  const versions = refereeVersions();
  const trees = versions.map((v) => v.files);
  await writeGroup(writer, 'books/group-sha512', depositDir, versions);
  await writeGroup(sha256Writer, 'books/group-sha256', depositDir, versions);
  const objects: Judged[] = [
    { path: 'books', expectedWarnings: [] },
    { path: 'gone', expectedWarnings: [] },
    { path: 'books/group-sha512', trees, expectedWarnings: [] },
    // W004: inventories SHOULD use sha512; sha256 is a deployment's deliberate choice.
    { path: 'books/group-sha256', trees, expectedWarnings: ['W004'] },
  ];
  return { writer, objects };
}

async function judge(t: Test, referees: Referees): Promise<void> {
  const repoDir = tempDir(t, 'referee-repo');
  const { writer, objects } = await writeRefereeRoot(repoDir, tempDir(t, 'referee-deposit'));
  const idOf = (path: string) => `info:fedora/${path}`;
  const dirOf = (path: string) => join(repoDir, ...writer.objectKeyOf(path).split('/'));
  t.equal(await writer.kindOf('gone'), 'tombstone');
  const algorithmOf = (path: string) =>
    JSON.parse(readFileSync(join(dirOf(path), 'inventory.json'), 'utf8')).digestAlgorithm;
  t.same(['books/group-sha512', 'books/group-sha256'].map(algorithmOf), ['sha512', 'sha256']);

  t.test('ocfl-py validates every object with no errors or unexpected warnings', async (t) => {
    t.comment(`ocfl-py ${await ocflPyVersion(referees)}`);
    for (const { path, expectedWarnings } of objects) {
      const verdict = await ocflPyObject(referees, dirOf(path));
      t.same(
        { errors: verdict.errors, warnings: unexpected(verdict.warnings, expectedWarnings) },
        { errors: [], warnings: [] },
        `ocfl-py: no findings on ${path}`,
      );
      t.ok(verdict.valid, `ocfl-py: ${path} is VALID`, { output: verdict.output });
    }
  });

  t.test('ocfl-py finds nothing wrong in the storage root but its own missing 0004 layout', async (t) => {
    const verdict = await ocflPyRoot(referees, repoDir);
    // ocfl-py 2.1.0 registers no 0004 layout, so it reports E071 ("unknown layout") and W901
    // ("unregistered extension directory") for a registered extension. Anything else is a finding.
    const notLayout = (issues: RefereeIssue[], code: string) =>
      issues.filter((i) => !(i.code === code && i.message.includes('0004-hashed-n-tuple-storage-layout')));
    t.same(notLayout(verdict.root.errors, 'E071'), [], 'no root error but E071 on 0004');
    t.same(verdict.root.warnings, []);
    t.same(verdict.hierarchy.errors, [], 'no error walking the hierarchy');
    t.same(notLayout(verdict.hierarchy.warnings, 'W901'), [], 'no warning but W901 on 0004');
    const byKey = new Map(objects.map((o) => [writer.objectKeyOf(o.path), o]));
    t.same(
      verdict.hierarchy.objects.map((o) => o.path).sort(),
      [...byKey.keys()].sort(),
      'ocfl-py finds exactly our objects',
    );
    for (const o of verdict.hierarchy.objects) {
      const ours = byKey.get(o.path);
      t.same(
        { valid: o.valid, errors: o.errors, warnings: unexpected(o.warnings, ours?.expectedWarnings) },
        { valid: true, errors: [], warnings: [] },
        `ocfl-py: ${ours?.path} is valid in the walk`,
      );
    }
    const codes = verdict.root.errors.map((e) => e.code).join(', ');
    t.comment(
      `ocfl-py ${verdict.ocflPy} storage root: ${verdict.root.valid ? 'valid' : `invalid (${codes})`}`,
    );
  });

  t.test('ocfl-java validates every object and reads every file of every version back', async (t) => {
    const before = snapshot(repoDir);
    const result = await ocflJava(
      referees,
      repoDir,
      objects.map((o) => idOf(o.path)),
    );
    t.comment(`ocfl-java ${result.version}`);
    t.equal(snapshot(repoDir), before, 'ocfl-java wrote nothing to the storage root');
    t.equal(result.objects.length, objects.length);
    for (const [i, { path, trees, expectedWarnings }] of objects.entries()) {
      const java = result.objects[i]!;
      t.equal(java.id, idOf(path));
      t.same(
        { exists: java.exists, errors: java.errors, warnings: unexpected(java.warnings, expectedWarnings) },
        { exists: true, errors: [], warnings: [] },
        `ocfl-java: ${path} validates with content fixity`,
      );
      t.same(
        disagreements(dirOf(path), writer.objectKeyOf(path), java, trees),
        [],
        `ocfl-java reads every file of ${path} back`,
      );
      const files = Object.values(java.versions ?? {}).reduce((n, f) => n + f.length, 0);
      t.comment(`${path}: ${Object.keys(java.versions ?? {}).length} version(s), ${files} files read`);
    }
  });
}

const referees = findReferees();
const missing = typeof referees === 'string' ? referees : null;
if (missing && process.env.CI === 'true') t.fail(`the OCFL referees must run in CI: ${missing}`);
t.test(
  'independent referees accept the objects Strongroom writes',
  { skip: missing ? `OCFL referees not installed: ${missing}` : false },
  (t) => judge(t, referees as Referees),
);
