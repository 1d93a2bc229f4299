// Stream one file of an object's head version (or a byte range of it) and check it against the
// inventory's digest.
// Usage: node 6-read-file.mjs <storage-root> <object-id> <logical-path>
import { createHash } from 'node:crypto';
import { openRepository } from 'strongroom';

const [location, id, logicalPath] = process.argv.slice(2);
const repo = await openRepository(location);
const file = await repo.readFile(id, logicalPath); // { version: 'v1', range: { start: 0, end: 99 } }
const hash = createHash(file.digestAlgorithm);
let firstLine;
for await (const chunk of file.stream) {
  hash.update(chunk);
  firstLine ??= chunk.toString('utf8', 0, 60).split('\n')[0];
}
const verdict = hash.digest('hex') === file.digest ? 'matches the inventory' : 'DIFFERS from the inventory';
console.log(`${logicalPath} (${file.version}): ${file.size} bytes, ${file.digestAlgorithm} ${verdict}`);
console.log(firstLine);
