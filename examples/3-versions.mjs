// List the versions of an object: OCFL name, memento timestamp, and who made it and why.
// Usage: node 3-versions.mjs <storage-root> <object-id>
import { openRepository } from 'strongroom';

const [location, id] = process.argv.slice(2);
const repo = await openRepository(location);
for (const v of await repo.versions(id)) {
  console.log(
    `${v.ocflVersion} (memento ${v.mementoTimestamp}) by ${v.user?.name ?? 'unknown'}: ${v.message ?? '(no message)'}`,
  );
}
