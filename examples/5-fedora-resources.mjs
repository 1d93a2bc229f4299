// The Fedora resources of an object (ArchivalGroup, Containers, Binaries) at its head version.
// Usage: node 5-fedora-resources.mjs <storage-root> <object-id>
import { openRepository } from 'strongroom';

const [location, id] = process.argv.slice(2);
const repo = await openRepository(location);
const resources = await repo.resources(id); // { version: 'v1' } selects another version
console.log(`${resources.objectId} (${resources.source} model) at ${resources.version.ocflVersion}`);
show(resources.root, '');

/** @param {import('strongroom').fedora.Resource} resource @param {string} indent */
function show(resource, indent) {
  if (resource.type === 'Binary') {
    console.log(
      `${indent}Binary ${resource.path} ${resource.contentType ?? '?'} ${resource.size ?? '?'} bytes`,
    );
    return;
  }
  console.log(`${indent}${resource.type} ${resource.path || '/'}`);
  for (const child of [...resource.binaries, ...resource.containers]) show(child, `${indent}  `);
}
