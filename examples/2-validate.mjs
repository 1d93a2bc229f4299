// Validate one object of a storage root, then the whole root, hashing every content file.
// Usage: node 2-validate.mjs <storage-root> <object-id>
import { HashPool, openRepository } from 'strongroom';

const [location, id] = process.argv.slice(2);
// Optional: a pool of hashing threads of your own size (default: a shared one, CPU-count threads).
const pool = new HashPool({ threads: 2 });
try {
  const repo = await openRepository(location);
  const object = await repo.validateObject(id, { pool });
  console.log(`${object.id} ${object.head}: ${object.valid ? 'valid' : 'INVALID'}`);
  for (const issue of object.issues) console.log(`  ${issue.code} ${issue.message}`);

  const report = await repo.validate({ pool });
  const invalid = report.objects.filter((o) => !o.valid).length;
  console.log(
    `storage root: ${report.valid ? 'valid' : 'INVALID'}, ${report.objects.length} objects, ${invalid} invalid`,
  );
} finally {
  await pool.close();
}
