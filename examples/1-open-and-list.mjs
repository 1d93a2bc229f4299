// Open an OCFL storage root on the filesystem and list the ids of its objects.
// Usage: node 1-open-and-list.mjs <storage-root-dir>
import { FsStore, openStorageRoot } from 'strongroom';

const [dir] = process.argv.slice(2);
const root = await openStorageRoot(new FsStore(dir, { readOnly: true }));
console.log(`OCFL ${root.specVersion} storage root, layout from: ${root.layoutSource}`);
for await (const object of root.listObjects()) {
  console.log(object.id ?? `unreadable object at ${object.objectRoot}: ${object.error?.message}`);
}
