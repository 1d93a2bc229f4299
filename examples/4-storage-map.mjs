// The storage map of an object's head version: where each logical file's bytes are stored.
// Usage: node 4-storage-map.mjs <storage-root> <object-id>
import { openRepository } from 'strongroom';

const [location, id] = process.argv.slice(2);
const repo = await openRepository(location);
const map = await repo.storageMap(id); // { version: 'v1' } selects another version
const algorithm = map.digestAlgorithm ?? 'sha256'; // absent when the map's hashes are SHA-256
console.log(`${map.archivalGroup} at ${map.version.ocflVersion}, ${algorithm} hashes`);
for (const [logicalPath, file] of Object.entries(map.files)) {
  console.log(`${logicalPath} -> ${map.objectPath}/${file.fullPath}`);
}
