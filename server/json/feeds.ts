/**
 * The feeds other systems read, as JSON: the Archival Group activity stream (IIIF Change
 * Discovery 1.0 `OrderedCollection` / `OrderedCollectionPage`, spec "Activity Streams") and the
 * search result (spec "Search": `fedoraSearch` and `depositSearch` partitions).
 */
import type {
  ActivityCollection,
  ActivityPage,
  ActivityRecord,
  ResourceHit,
  SearchResults,
} from '../../lib/index.js';
import { resourcePathToIdPath } from '../../lib/index.js';
import type { ApiUrls } from './deposits.js';

/** The JSON-LD context of IIIF Change Discovery 1.0. */
export const DISCOVERY_CONTEXT = 'http://iiif.io/api/discovery/1/context.json';

/** The stream's URLs. */
export function activityUrls(urls: ApiUrls) {
  const base = `${urls.base}/activity/archivalgroups`;
  return { collection: `${base}/collection`, page: (n: number) => `${base}/pages/${n}` };
}

const pageRef = (id: string) => ({ id, type: 'OrderedCollectionPage' });

/** `GET /activity/archivalgroups/collection`. */
export function collectionJson(urls: ApiUrls, c: ActivityCollection): Record<string, unknown> {
  const at = activityUrls(urls);
  return {
    '@context': DISCOVERY_CONTEXT,
    id: at.collection,
    type: 'OrderedCollection',
    totalItems: c.totalItems,
    first: pageRef(at.page(1)),
    last: pageRef(at.page(c.pageCount)),
  };
}

/** One activity: its type, the group (with the import job result it came from) and `endTime`. */
export function activityJson(urls: ApiUrls, a: ActivityRecord): Record<string, unknown> {
  const object: Record<string, unknown> = {
    id: `${urls.repositoryBase}${resourcePathToIdPath(a.archivalGroupPath)}`,
    type: 'ArchivalGroup',
  };
  if (a.importJobId && a.depositId)
    object.seeAlso = {
      id: `${urls.deposit(a.depositId)}/importjobs/results/${a.importJobId}`,
      type: 'ImportJobResult',
    };
  return { type: a.type, object, endTime: a.endTime };
}

/** `GET /activity/archivalgroups/pages/{n}`: oldest first, with `prev` / `next` where they exist. */
export function pageJson(urls: ApiUrls, p: ActivityPage): Record<string, unknown> {
  const at = activityUrls(urls);
  const out: Record<string, unknown> = {
    '@context': DISCOVERY_CONTEXT,
    id: at.page(p.page),
    type: 'OrderedCollectionPage',
    startIndex: p.startIndex,
    partOf: { id: at.collection, type: 'OrderedCollection' },
  };
  if (p.page > 1) out.prev = pageRef(at.page(p.page - 1));
  if (p.page < p.pageCount) out.next = pageRef(at.page(p.page + 1));
  out.orderedItems = p.items.map((a) => activityJson(urls, a));
  return out;
}

/** One preserved-resource hit: the spec's fields, and the API's own ids beside them. */
export function resourceHitJson(urls: ApiUrls, h: ResourceHit): Record<string, unknown> {
  const path = `${h.archivalGroupPath}/${h.path}`;
  return {
    fedoraId: `info:fedora/${path}`,
    id: `${urls.repositoryBase}${resourcePathToIdPath(path)}`,
    type: 'Binary',
    name: h.name,
    archivalGroup: `${urls.repositoryBase}${resourcePathToIdPath(h.archivalGroupPath)}`,
    created: h.created,
    lastModified: h.lastModified,
    contentSize: h.size,
    mimeType: h.contentType,
  };
}

/** `GET /search`: both partitions; deposits already shaped by the caller. */
export function searchJson(
  urls: ApiUrls,
  r: SearchResults,
  deposits: Array<Record<string, unknown>>,
): Record<string, unknown> {
  return {
    fedoraSearch: {
      total: r.resources.total,
      count: r.resources.hits.length,
      results: r.resources.hits.map((h) => resourceHitJson(urls, h)),
      pageSize: r.resources.pageSize,
      page: r.resources.page,
    },
    text: r.text,
    depositSearch: {
      deposits,
      total: r.deposits.total,
      page: r.deposits.page,
      pageSize: r.deposits.pageSize,
    },
  };
}
