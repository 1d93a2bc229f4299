/**
 * `GET /search?text=&page=&pageSize=` (spec "Search"): deposits and preserved resources whose
 * names or paths contain the text, any case, each partition paged (`page` from 0).
 */
import type Router from '@koa/router';
import { searchJson } from '../json/feeds.js';
import { SearchQuery } from '../schemas/feeds.js';
import { matchKeys, parseBody } from '../schemas/validate.js';
import type { ServerServices } from '../services.js';
import { show } from './deposit-view.js';

/** Register the search route. */
export function searchRoutes(router: Router, s: ServerServices): void {
  router.get('/search', async (ctx) => {
    const query = parseBody(SearchQuery, matchKeys({ ...ctx.query }, ['text', 'page', 'pageSize']), 'query');
    const results = await s.search.search(query.text, {
      ...(query.page !== undefined && { page: query.page }),
      ...(query.pageSize !== undefined && { pageSize: query.pageSize }),
    });
    const deposits = await Promise.all(results.deposits.deposits.map((d) => show(s, d)));
    ctx.body = searchJson(s.urls, results, deposits);
  });
}
