/**
 * Schemas of the feeds and of deposits from an identifier (spec "Activity Streams", "Agents",
 * "Search", "Special Deposit Creation from identifier"), registered for the OpenAPI document.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { MAX_IDENTIFIER_CHARS } from '../../lib/index.js';
import { ErrorSchema } from './repository.js';

extendZodWithOpenApi(z);

const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,9}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

/** `GET /search` query parameters (`page` from 0). */
export const SearchQuery = z
  .object({
    text: z.string().min(1).max(1024),
    page: wholeNumber(100_000).optional(),
    pageSize: wholeNumber(1000).optional(),
  })
  .openapi('SearchQuery');

/** `POST /deposits/from-identifier`. */
export const SchemaAndValueBody = z
  .object({
    schema: z.string().min(1).max(MAX_IDENTIFIER_CHARS),
    value: z.string().min(1).max(MAX_IDENTIFIER_CHARS),
    template: z.enum(['None', 'RootLevel', 'BagIt']).optional(),
  })
  .openapi('SchemaAndValue');

const ref = z.object({ id: z.string().url(), type: z.string() });

/** An activity of the stream. */
export const ActivitySchema = z
  .object({
    type: z.enum(['Create', 'Update', 'Delete']),
    object: z.object({ id: z.string().url(), type: z.literal('ArchivalGroup'), seeAlso: ref.optional() }),
    endTime: z.string(),
  })
  .openapi('Activity');

/** The stream's collection. */
export const OrderedCollectionSchema = z
  .object({
    '@context': z.string(),
    id: z.string().url(),
    type: z.literal('OrderedCollection'),
    totalItems: z.number().int(),
    first: ref,
    last: ref,
  })
  .openapi('OrderedCollection');

/** A page of the stream. */
export const OrderedCollectionPageSchema = z
  .object({
    '@context': z.string(),
    id: z.string().url(),
    type: z.literal('OrderedCollectionPage'),
    startIndex: z.number().int(),
    partOf: ref,
    prev: ref.optional(),
    next: ref.optional(),
    orderedItems: z.array(ActivitySchema),
  })
  .openapi('OrderedCollectionPage');

/** The search answer. */
export const SearchSchema = z
  .object({
    fedoraSearch: z.object({
      total: z.number().int(),
      count: z.number().int(),
      results: z.array(
        z.object({
          fedoraId: z.string(),
          id: z.string().url(),
          type: z.literal('Binary'),
          name: z.string(),
          archivalGroup: z.string().url(),
          created: z.string().nullable(),
          lastModified: z.string().nullable(),
          contentSize: z.number().int().nullable(),
          mimeType: z.string().nullable(),
        }),
      ),
      pageSize: z.number().int(),
      page: z.number().int(),
    }),
    text: z.string(),
    depositSearch: z.object({
      deposits: z.array(z.record(z.string(), z.unknown())),
      total: z.number().int(),
      page: z.number().int(),
      pageSize: z.number().int(),
    }),
  })
  .openapi('Search');

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, ...json(ErrorSchema) });

/** Register the feed paths. */
export function registerFeedPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/activity/archivalgroups/collection',
    summary: 'The Archival Group activity stream (IIIF Change Discovery 1.0)',
    responses: { 200: { description: 'the collection', ...json(OrderedCollectionSchema) } },
  });
  registry.registerPath({
    method: 'get',
    path: '/activity/archivalgroups/pages/{page}',
    summary: 'A page of the activity stream (1-based, oldest first, 100 per page)',
    request: { params: z.object({ page: z.string() }) },
    responses: {
      200: { description: 'the page', ...json(OrderedCollectionPageSchema) },
      404: err('no such page'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/agents',
    summary: 'Every known agent, as URIs',
    responses: { 200: { description: 'agent URIs', ...json(z.array(z.string().url())) } },
  });
  registry.registerPath({
    method: 'get',
    path: '/search',
    summary: 'Search deposits and preserved resources (any case, any part; page from 0)',
    request: { query: SearchQuery },
    responses: {
      200: { description: 'both partitions', ...json(SearchSchema) },
      400: err('bad text or page'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/deposits/from-identifier',
    summary: 'Create a deposit for the Archival Group a catalogue identifier resolves to',
    request: { body: json(SchemaAndValueBody) },
    responses: {
      201: { description: 'the new deposit (Location: its URI)' },
      422: err('the identifier is unknown to the resolver'),
      501: err('no identity resolver is configured'),
      503: err('the identity service failed'),
    },
  });
}
