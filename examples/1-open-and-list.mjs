// Open an OCFL storage root (a directory, file:///… or s3://bucket/prefix) and list its object ids.
// Usage: node 1-open-and-list.mjs <storage-root>
import { openRepository } from 'strongroom';

const [location] = process.argv.slice(2);
const repo = await openRepository(location);
console.log(`OCFL ${repo.root.specVersion} storage root, layout from: ${repo.root.layoutSource}`);
for await (const object of repo.listObjects()) {
  console.log(object.id ?? `unreadable object at ${object.objectRoot}: ${object.error?.message}`);
}
