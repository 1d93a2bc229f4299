/**
 * Request schemas for deposits, import jobs and exports (spec "Deposit", "ImportJob",
 * "Exports"), registered for the OpenAPI document. Property names are matched
 * case-insensitively before parsing (schemas/validate.ts); unknown properties are ignored.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorSchema } from './repository.js';
import { matchKeys } from './validate.js';

extendZodWithOpenApi(z);

const uri = z.string().min(1).max(4096);
const text = z.string().max(100_000);

/** `POST /deposits`: every field optional (`{}` is a valid body). */
export const CreateDepositBody = z
  .object({
    type: z.literal('Deposit').optional(),
    template: z.enum(['None', 'RootLevel', 'BagIt']).optional(),
    archivalGroup: uri.nullable().optional(),
    archivalGroupName: text.nullable().optional(),
    submissionText: text.nullable().optional(),
  })
  .openapi('CreateDeposit');

/** `PATCH /deposits/{id}`: only these fields change. */
export const PatchDepositBody = z
  .object({
    archivalGroup: uri.nullable().optional(),
    archivalGroupName: text.nullable().optional(),
    submissionText: text.nullable().optional(),
  })
  .openapi('PatchDeposit');

/** `POST /deposits/export`. */
export const ExportBody = z
  .object({
    type: z.literal('Deposit').optional(),
    archivalGroup: uri,
    versionExported: z.string().max(64).optional(),
    version: z.string().max(64).optional(),
    exportMode: z.enum(['full', 'stub']).optional(),
    mode: z.enum(['full', 'stub']).optional(),
  })
  .openapi('ExportRequest');

const ITEM_KEYS = ['id', 'type', 'name', 'origin', 'digest', 'contentType', 'size'];

const Item = z.preprocess(
  (v) => matchKeys(v, ITEM_KEYS),
  z.object({
    id: uri,
    type: z.string().optional(),
    name: z.string().max(4096).optional(),
    origin: uri.optional(),
    digest: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 is 64 hex digits')
      .optional(),
    contentType: z.string().max(256).optional(),
    size: z.number().int().nonnegative().optional(),
  }),
);

const list = z.array(Item).max(1_000_000).optional().default([]);

/** The top-level names of an ImportJob (for case-insensitive matching). */
export const IMPORT_JOB_KEYS = [
  'id',
  'type',
  'originalId',
  'deposit',
  'archivalGroup',
  'archivalGroupName',
  'isUpdate',
  'source',
  'sourceVersion',
  'containersToAdd',
  'binariesToAdd',
  'binariesToPatch',
  'binariesToDelete',
  'containersToDelete',
  'containersToRename',
  'binariesToRename',
];

/** `POST /deposits/{id}/importjobs`: a full job, or `{ id }` naming the deposit's diff. */
export const ImportJobBody = z
  .object({
    id: uri.optional(),
    type: z.literal('ImportJob').optional(),
    originalId: z.string().optional(),
    deposit: uri.optional(),
    archivalGroup: uri.optional(),
    archivalGroupName: text.nullable().optional(),
    isUpdate: z.boolean().optional(),
    source: z.string().optional(),
    sourceVersion: z
      .union([
        z.string().regex(/^v\d+$/, 'a version is vN'),
        z.object({ ocflVersion: z.string().regex(/^v\d+$/) }).passthrough(),
      ])
      .nullable()
      .optional(),
    containersToAdd: list,
    binariesToAdd: list,
    binariesToPatch: list,
    binariesToDelete: list,
    containersToDelete: list,
    containersToRename: list,
    binariesToRename: list,
  })
  .openapi('ImportJob');

/** Register the deposit, import-job and export paths. */
export function registerDepositPaths(registry: OpenAPIRegistry): void {
  const id = z.object({ id: z.string() });
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const err = (description: string) => ({ description, ...json(ErrorSchema) });
  const deposit = z
    .object({ id: z.string(), type: z.literal('Deposit') })
    .passthrough()
    .openapi('Deposit');
  const result = z
    .object({ id: z.string(), type: z.literal('ImportJobResult'), status: z.string() })
    .passthrough()
    .openapi('ImportJobResult');
  registry.registerPath({
    method: 'post',
    path: '/deposits',
    summary: 'Create a deposit (a working area), for a new or an existing Archival Group',
    request: { body: { ...json(CreateDepositBody), required: false } },
    responses: { 201: { description: 'created', ...json(deposit) }, 400: err('a field that does not fit') },
  });
  registry.registerPath({
    method: 'get',
    path: '/deposits',
    summary: 'List and filter deposits (paging, ordering, filters, showAll)',
    request: {
      query: z.object({
        page: z.string().optional(),
        pageSize: z.string().optional(),
        orderBy: z.string().optional(),
        ascending: z.string().optional(),
        showAll: z.string().optional(),
        archivalGroupPath: z.string().optional(),
        status: z.string().optional(),
        createdBy: z.string().optional(),
      }),
    },
    responses: { 200: { description: 'a page of deposits' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/deposits/{id}',
    request: { params: id },
    responses: { 200: { description: 'the deposit', ...json(deposit) }, 404: err('no deposit') },
  });
  registry.registerPath({
    method: 'patch',
    path: '/deposits/{id}',
    request: { params: id, body: json(PatchDepositBody) },
    responses: { 200: { description: 'changed', ...json(deposit) }, 409: err('locked or changed') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/deposits/{id}',
    request: { params: id },
    responses: { 204: { description: 'deleted with its working area' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/deposits/{id}/mets',
    request: { params: id },
    responses: { 200: { description: 'the METS XML, with an ETag' }, 404: err('no METS file') },
  });
  registry.registerPath({
    method: 'get',
    path: '/deposits/{id}/importjobs/diff',
    request: { params: id },
    responses: {
      200: { description: 'the diff ImportJob', ...json(ImportJobBody) },
      422: err('the deposit cannot become the group as it is'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/deposits/{id}/importjobs',
    summary: 'Run an import job (a full job, or { id: the diff id }); answers waiting, runs after',
    request: { params: id, body: json(ImportJobBody) },
    responses: {
      201: { description: 'queued', ...json(result) },
      409: err('another job, or a stale sourceVersion'),
      422: err('cannot be applied'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/deposits/{id}/importjobs/results',
    request: { params: id },
    responses: { 200: { description: 'every result' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/deposits/{id}/importjobs/results/{jobId}',
    request: { params: z.object({ id: z.string(), jobId: z.string() }) },
    responses: { 200: { description: 'one result', ...json(result) } },
  });
  registry.registerPath({
    method: 'post',
    path: '/deposits/export',
    summary: 'Export a version of an Archival Group into a new deposit (status exporting, then new)',
    request: { body: json(ExportBody) },
    responses: { 201: { description: 'the new deposit', ...json(deposit) }, 404: err('no such group') },
  });
}
