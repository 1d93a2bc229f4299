#!/usr/bin/env node
// Keep the README's "Use as a library" examples identical to examples/*.mjs, the files the
// tarball test runs: `node scripts/readme-examples.mjs` rewrites the block between the markers
// from the files; `--check` only compares and exits 1 when the README is out of date.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- examples:start (generated from examples/*.mjs by scripts/readme-examples.mjs) -->';
const END = '<!-- examples:end -->';

/** The README block for every example file, in file-name order. */
function examplesBlock() {
  const files = readdirSync(join(repo, 'examples'))
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const parts = files.map(
    (f) => `\`examples/${f}\`:\n\n\`\`\`js\n${readFileSync(join(repo, 'examples', f), 'utf8')}\`\`\`\n`,
  );
  return `${START}\n\n${parts.join('\n')}\n${END}`;
}

const readmePath = join(repo, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) {
  console.error('readme-examples: README.md lacks the examples markers');
  process.exit(1);
}
const updated = readme.slice(0, from) + examplesBlock() + readme.slice(to + END.length);
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error(
      'readme-examples: README.md differs from examples/*.mjs (run node scripts/readme-examples.mjs)',
    );
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmePath, updated);
  console.log('readme-examples: README.md updated');
}
