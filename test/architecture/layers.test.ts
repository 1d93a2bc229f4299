/**
 * The dependency direction of docs/ARCHITECTURE.md, checked on every source file's imports
 * (static and dynamic, parsed with the TypeScript compiler's own pre-processor, so comments and
 * strings never count). A rule broken here is a design error, not a style nit: the write path
 * relies on "only lib/txn obtains a writable store", and the server on "lib reads no environment".
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import ts from 'typescript';
import { repoRoot } from '../helpers/paths.js';

interface SourceFile {
  /** Repository-relative path with `/`, e.g. `lib/core/errors.ts`. */
  path: string;
  text: string;
  /** Resolved repository-relative targets of relative imports (`.js` mapped to `.ts`). */
  local: string[];
  /** Bare specifiers (`node:fs`, `koa`, `@aws-sdk/client-s3`). */
  packages: string[];
  /** Resolved targets imported only by `import type` / `export type` (nothing loads at run time). */
  typeOnly: Set<string>;
}

const TYPE_ONLY = /(?:import|export)\s+type\s+(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?)\s+from\s+'([^']+)'/g;
const ANY_IMPORT = /(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function load(folder: string): SourceFile[] {
  return walk(join(repoRoot, folder)).map((full) => {
    const text = readFileSync(full, 'utf8');
    const info = ts.preProcessFile(text, true, true);
    const local: string[] = [];
    const packages: string[] = [];
    for (const ref of info.importedFiles) {
      const spec = ref.fileName;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(full), spec).replace(/\.js$/, '.ts');
        local.push(relative(repoRoot, target).split('\\').join('/'));
      } else packages.push(spec);
    }
    const resolveLocal = (spec: string) =>
      relative(repoRoot, resolve(dirname(full), spec).replace(/\.js$/, '.ts'))
        .split('\\')
        .join('/');
    const typeSpecs = new Set([...text.matchAll(TYPE_ONLY)].map((m) => m[1]!));
    for (const m of text.matchAll(ANY_IMPORT)) typeSpecs.delete((m[1] ?? m[2])!);
    const typeOnly = new Set([...typeSpecs].filter((s) => s.startsWith('.')).map(resolveLocal));
    return { path: relative(repoRoot, full).split('\\').join('/'), text, local, packages, typeOnly };
  });
}

const lib = load('lib');
const server = load('server');

/** The lib layer a file belongs to: `core`, `storage`, ... or `index` for lib/index.ts. */
function layerOf(path: string): string {
  const m = /^lib\/([^/]+)\//.exec(path);
  if (m) return m[1]!;
  return path === 'lib/index.ts' ? 'index' : path === 'lib/errors.ts' ? 'errors' : 'other';
}

/** Which lib layers each layer may import (itself always allowed). */
const MAY_IMPORT: Record<string, string[]> = {
  core: [],
  storage: ['core'],
  hash: ['core', 'storage'],
  cache: ['core'],
  formats: ['core'],
  engine: ['core', 'storage', 'hash', 'cache', 'formats'],
  records: ['core', 'cache'],
  txn: ['core', 'storage', 'hash', 'cache', 'formats', 'engine'],
  services: ['core', 'storage', 'hash', 'cache', 'formats', 'engine', 'txn', 'records'],
  index: ['core', 'storage', 'hash', 'cache', 'formats', 'engine', 'txn', 'records', 'services'],
  errors: ['core'],
};

/** Packages each lib layer may import beyond node builtins that every non-core layer may use. */
const PACKAGES: Array<{ pattern: RegExp; only: RegExp; why: string }> = [
  { pattern: /^@aws-sdk\//, only: /^lib\/storage\/s3\//, why: 'only the S3 backend talks to the SDK' },
  {
    pattern: /^lmdb$/,
    only: /^lib\/(cache|records)\//,
    why: 'LMDB lives behind the cache and records ports',
  },
  { pattern: /^piscina$/, only: /^lib\/hash\//, why: 'the worker pool is the hash module' },
  { pattern: /^sax$/, only: /^lib\/formats\//, why: 'XML parsing belongs to the format readers' },
  { pattern: /^(koa|@koa\/|koa-)/, only: /^server\//, why: 'only server/ speaks HTTP' },
];

/** Builtins lib/core may use: hashing ids is pure enough; no fs, no timers, no processes. */
const CORE_BUILTINS = new Set(['node:crypto']);
/** Builtins a pure format parser may use (bytes and streams in, no files). */
const FORMAT_BUILTINS = new Set([
  'node:crypto',
  'node:stream',
  'node:stream/promises',
  'node:zlib',
  'node:string_decoder',
  'node:events',
]);

/** The public entry points server/ may import (the package's `.` and `./errors` exports). */
const PUBLIC_ENTRIES = new Set(['lib/index.ts', 'lib/errors.ts']);

/** Modules that hand out write access to storage: only lib/txn (and storage itself) may import them. */
const WRITABLE =
  /^lib\/storage\/(writable\.ts|backends\.ts|fs\/fs-store\.ts|s3\/s3-store\.ts|memory\/memory-store\.ts)$/;

/**
 * Violations tolerated while other work in flight removes them. Each entry must still be a
 * violation (the test fails when one disappears, so the list only shrinks). Empty: keep it so.
 */
const KNOWN: string[] = [];

function violations(): string[] {
  const out: string[] = [];
  for (const f of lib) {
    const layer = layerOf(f.path);
    const allowed = MAY_IMPORT[layer];
    if (!allowed) {
      out.push(`${f.path}: lib/${layer} is not a known layer (add it to docs/ARCHITECTURE.md and this test)`);
      continue;
    }
    for (const target of f.local) {
      if (!target.startsWith('lib/')) out.push(`${f.path} imports ${target} outside lib`);
      const to = layerOf(target);
      if (to !== layer && !allowed.includes(to)) out.push(`${f.path} (${layer}) imports ${target} (${to})`);
      if (WRITABLE.test(target) && !f.typeOnly.has(target) && !/^lib\/(storage|txn)\//.test(f.path)) {
        out.push(`${f.path} imports the writable-store module ${target} (only lib/txn may)`);
      }
    }
    for (const spec of f.packages) {
      for (const rule of PACKAGES) {
        if (rule.pattern.test(spec) && !rule.only.test(f.path))
          out.push(`${f.path} imports ${spec}: ${rule.why}`);
      }
      if (layer === 'core' && !CORE_BUILTINS.has(spec)) out.push(`${f.path} (core) imports ${spec}`);
      if (layer === 'formats' && spec.startsWith('node:') && !FORMAT_BUILTINS.has(spec)) {
        out.push(`${f.path} (formats: pure parsers) imports ${spec}`);
      }
    }
    if (/\bprocess\.env\b/.test(f.text))
      out.push(`${f.path} reads process.env (only server/ reads the environment)`);
  }
  for (const f of server) {
    for (const target of f.local) {
      if (target.startsWith('lib/') && !PUBLIC_ENTRIES.has(target)) {
        out.push(`${f.path} imports ${target} (server/ uses the public API, lib/index.ts)`);
      }
    }
  }
  return [...new Set(out)];
}

t.test('every lib and server import follows the dependency direction', async (t) => {
  const found = violations();
  const unexpected = found.filter((v) => !KNOWN.includes(v));
  t.same(unexpected, [], 'no new layer violations');
  const fixed = KNOWN.filter((v) => !found.includes(v));
  t.same(fixed, [], 'known violations that no longer occur must be removed from KNOWN');
});

t.test('the checker sees relative, dynamic and package imports', async (t) => {
  const info = ts.preProcessFile(
    "import a from './a.js';\nconst b = await import('../b.js');\nimport 'koa';",
    true,
    true,
  );
  t.same(
    info.importedFiles.map((f) => f.fileName),
    ['./a.js', '../b.js', 'koa'],
  );
  t.ok(lib.length > 100 && server.length > 5, 'it reads the source tree');
});
