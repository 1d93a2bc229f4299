/**
 * The runtime dependencies are exactly what lib/ and server/ import: nothing installed into an
 * embedder's project goes unused, and nothing lib/ or server/ imports is missing from
 * `dependencies` (a devDependency would be absent from a consumer's install).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import t from 'tap';
import { repoRoot } from '../helpers/paths.js';

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

/** Every `.ts` (or `.d.ts`) file below `dir`. */
function sourceFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

/** Package names of the bare specifiers imported (statically, dynamically or as types). */
function importedPackages(files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"./][^'"]*)['"]/g;
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(specifier)) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      const parts = spec.split('/');
      const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
      if (!found.has(name)) found.set(name, file.slice(repoRoot.length + 1));
    }
  }
  return found;
}

const runtimeSources = [
  ...sourceFiles(join(repoRoot, 'lib'), '.ts'),
  ...sourceFiles(join(repoRoot, 'server'), '.ts'),
];
const imported = importedPackages(runtimeSources);

t.test('every runtime dependency is imported from lib/ or server/', async (t) => {
  for (const name of Object.keys(pkg.dependencies)) {
    // A types package is a runtime dependency only because our published .d.ts name its package.
    const used = name.startsWith('@types/') ? imported.has(name.slice('@types/'.length)) : imported.has(name);
    t.ok(used, `${name} is imported from lib/ or server/ (else move it to devDependencies)`);
  }
});

t.test('every package lib/ and server/ import is a runtime dependency', async (t) => {
  for (const [name, where] of imported) {
    t.ok(name in pkg.dependencies, `${name} (imported by ${where}) is in dependencies`);
  }
});

t.test('the published .d.ts files name only runtime dependencies (with their types)', async (t) => {
  const dts = importedPackages(sourceFiles(join(repoRoot, 'dist', 'lib'), '.d.ts'));
  t.ok(dts.size > 0, 'the built .d.ts files import some packages (else this test reads nothing)');
  for (const [name, where] of dts) {
    t.ok(name in pkg.dependencies, `${name} (named by ${where}) is in dependencies`);
    const bundlesTypes = existsTypes(name);
    t.ok(
      bundlesTypes || `@types/${name}` in pkg.dependencies,
      `${name} ships its own types or @types/${name} is a runtime dependency`,
    );
  }
});

/** True when the installed package declares its own typings. */
function existsTypes(name: string): boolean {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
    types?: string;
    typings?: string;
    exports?: unknown;
  };
  return (
    Boolean(manifest.types ?? manifest.typings) || JSON.stringify(manifest.exports ?? '').includes('types')
  );
}
