/**
 * lib/formats holds pure parsers (ARCHITECTURE.md): byte and stream input, imports of lib/core
 * only, no storage, hashing pool, engine or filesystem. This test reads every import of every
 * formats source file, so a new one that reaches further fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import { repoRoot } from '../helpers/paths.js';

const formats = join(repoRoot, 'lib', 'formats');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const FORBIDDEN_MODULES = new Set(['node:fs', 'fs', 'node:fs/promises', 'fs/promises', 'node:child_process']);

t.test(
  'lib/formats imports only lib/core, itself, node built-ins other than fs, and parser packages',
  async (t) => {
    const files = sources(formats);
    t.ok(files.length > 50, `${files.length} files checked`);
    const bad: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        const where = `${relative(repoRoot, file)} → ${spec}`;
        if (FORBIDDEN_MODULES.has(spec)) bad.push(where);
        if (!spec.startsWith('.')) continue;
        const target = relative(join(repoRoot, 'lib'), resolve(dirname(file), spec))
          .split('\\')
          .join('/');
        if (!target.startsWith('formats/') && !target.startsWith('core/')) bad.push(where);
      }
    }
    t.same(bad, [], 'no import reaches storage, hash, engine or the filesystem');
  },
);
