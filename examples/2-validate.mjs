// Validate one object of a storage root, then the whole root, hashing every content file.
// Usage: node 2-validate.mjs <storage-root-dir> <object-id>
import { FsStore, HashPool, openStorageRoot, validateObject, validateStorageRoot } from 'strongroom';

const [dir, id] = process.argv.slice(2);
const store = new FsStore(dir, { readOnly: true });
// Optional: a pool of hashing threads of your own size (default: a shared one, CPU-count threads).
const pool = new HashPool({ threads: 2 });
try {
  const root = await openStorageRoot(store);
  const object = await validateObject(store, await root.resolveObjectRoot(id), { pool });
  console.log(`${object.id} ${object.head}: ${object.valid ? 'valid' : 'INVALID'}`);
  for (const issue of object.issues) console.log(`  ${issue.code} ${issue.message}`);

  const report = await validateStorageRoot(store, { pool });
  const invalid = report.objects.filter((o) => !o.valid).length;
  console.log(
    `storage root: ${report.valid ? 'valid' : 'INVALID'}, ${report.objects.length} objects, ${invalid} invalid`,
  );
} finally {
  await pool.close();
}
