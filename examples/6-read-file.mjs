// Read the bytes of one file of an object's head version and check them against the inventory.
// Usage: node 6-read-file.mjs <storage-root-dir> <object-id> [logical-path]
import { createHash } from 'node:crypto';
import { FsStore, getStorageMap, openStorageRoot } from 'strongroom';

const [dir, id, wanted] = process.argv.slice(2);
const store = new FsStore(dir, { readOnly: true });
const root = await openStorageRoot(store);
const map = await getStorageMap(root, id);
const files = Object.entries(map.files);
const [logicalPath, file] = files.find(([path]) => path === wanted) ?? files[0];
const bytes = await store.readBytes(`${map.objectPath}/${file.fullPath}`);
const algorithm = map.digestAlgorithm ?? 'sha256'; // absent when the map's hashes are SHA-256
const digest = createHash(algorithm).update(bytes).digest('hex');
const verdict = digest === file.hash ? 'matches the inventory' : 'DIFFERS from the inventory';
console.log(`${logicalPath}: ${bytes.length} bytes, ${algorithm} ${verdict}`);
console.log(bytes.toString('utf8', 0, 60).split('\n')[0]);
