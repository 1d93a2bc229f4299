/**
 * `/ocfl/storagemap/{path}?version=`: the StorageMap of an Archival Group (vN or a memento
 * timestamp; default the head), as the engine builds and caches it.
 */
import type Router from '@koa/router';
import { InvalidInputError } from '../../lib/index.js';
import type { ServerServices } from '../services.js';
import { pathUnder } from './repository.js';

/** Register the storage-map route. */
export function storageMapRoutes(router: Router, s: ServerServices): void {
  router.get('/ocfl/storagemap{/*path}', async (ctx) => {
    const path = pathUnder(ctx, '/ocfl/storagemap');
    const version = typeof ctx.query.version === 'string' ? ctx.query.version : undefined;
    const located = await s.browser.locate(path);
    if (located.kind !== 'ArchivalGroup') throw new InvalidInputError(`${path} is not an Archival Group`);
    ctx.type = 'application/json';
    ctx.body = await s.repository.storageMapJson(located.objectId, version ? { version } : {});
  });
}
