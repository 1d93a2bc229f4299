/**
 * `/activity/archivalgroups/…`: the Archival Group activity stream (IIIF Change Discovery 1.0):
 * the collection with `totalItems`, `first` and `last`, and its pages, oldest first. Pages are
 * also answered at `/activity/archivalgroups/{n}` (the form the spec's example shows for
 * `first`); links always use `/pages/{n}`.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { NotFoundError } from '../../lib/index.js';
import { collectionJson, pageJson } from '../json/feeds.js';
import type { ServerServices } from '../services.js';

function pageNumber(ctx: Context): number {
  const raw = ctx.params.page ?? '';
  // Digits only: `+1`, `1e2` or ` 1` name no page.
  if (!/^[0-9]{1,9}$/.test(raw)) throw new NotFoundError('no such page of the activity stream');
  return Number(raw);
}

/** Register the activity stream routes. */
export function activityRoutes(router: Router, s: ServerServices): void {
  router.get('/activity/archivalgroups/collection', async (ctx) => {
    ctx.type = 'application/ld+json; profile="http://iiif.io/api/discovery/1/context.json"';
    ctx.body = collectionJson(s.urls, await s.activity.collection());
  });

  const page = async (ctx: Context) => {
    ctx.type = 'application/ld+json; profile="http://iiif.io/api/discovery/1/context.json"';
    ctx.body = pageJson(s.urls, await s.activity.page(pageNumber(ctx)));
  };
  router.get('/activity/archivalgroups/pages/:page', page);
  router.get('/activity/archivalgroups/:page', page);
}
