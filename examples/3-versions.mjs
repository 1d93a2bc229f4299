// List the versions of an object: OCFL name, memento timestamp, and who made it and why.
// Usage: node 3-versions.mjs <storage-root-dir> <object-id>
import { FsStore, openStorageRoot, versions } from 'strongroom';

const [dir, id] = process.argv.slice(2);
const root = await openStorageRoot(new FsStore(dir, { readOnly: true }));
const object = await root.openObject(id);
for (const name of versions.sortedVersionNames(object.view)) {
  const { created, user, message } = object.view.versions[name];
  const { mementoTimestamp } = versions.versionInfo(name, created);
  console.log(
    `${name} (memento ${mementoTimestamp}) by ${user?.name ?? 'unknown'}: ${message ?? '(no message)'}`,
  );
}
