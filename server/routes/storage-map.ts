/**
 * `/ocfl/storagemap/{path}?version=`: the StorageMap of an Archival Group (vN or a memento
 * timestamp; default the head), as the engine builds it, kept by the browser while the group is
 * unchanged.
 */
import type Router from '@koa/router';
import type { ServerServices } from '../services.js';
import { pathUnder } from './repository.js';

/** Register the storage-map route. */
export function storageMapRoutes(router: Router, s: ServerServices): void {
  router.get('/ocfl/storagemap{/*path}', async (ctx) => {
    const path = pathUnder(ctx, '/ocfl/storagemap');
    const version = typeof ctx.query.version === 'string' ? ctx.query.version : undefined;
    // The map alone: the group's resources (and its Fedora headers) are not read for it.
    const json = await s.browser.storageMapJson(path, version ? { version } : {});
    ctx.type = 'application/json';
    ctx.body = json;
  });
}
