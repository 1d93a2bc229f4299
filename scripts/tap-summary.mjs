// Reads a TAP stream written by `tap -R tap` and prints the plain closing line that CI reads:
// `N passed, N failed, N skipped`, counting top-level test files' subtests (test points at
// indent level 1, i.e. each t.test in a file), not individual assertions.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8');
let passed = 0,
  failed = 0,
  skipped = 0;
for (const line of text.split('\n')) {
  const m = /^ {4}(not ok|ok) \d+ - .*?(# (SKIP|TODO)\b.*)?$/i.exec(line);
  if (!m) continue;
  if (m[3]) skipped++;
  else if (m[1] === 'ok') passed++;
  else failed++;
}
// A file that crashed before any subtest shows as a failed top-level point.
for (const line of text.split('\n'))
  if (/^not ok \d+ - /.test(line) && !/# (SKIP|TODO)/.test(line)) {
    if (failed === 0) failed++;
  }
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
