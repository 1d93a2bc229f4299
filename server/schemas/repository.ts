/**
 * Schemas of the repository resources and of creating a container (spec "Resource Types",
 * "Create a Container with PUT"), registered for the OpenAPI document.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** The optional body of `PUT /repository/{path}`. */
export const CreateContainerBody = z
  .object({
    type: z.literal('Container').optional(),
    name: z.string().min(1).max(1024).optional(),
  })
  .openapi('CreateContainer');

/** Version object. */
export const VersionSchema = z
  .object({ ocflVersion: z.string(), mementoTimestamp: z.string(), mementoDateTime: z.string() })
  .openapi('Version');

const common = {
  id: z.string().url(),
  name: z.string().optional(),
  created: z.string().optional(),
  createdBy: z.string().optional(),
  lastModified: z.string().optional(),
  lastModifiedBy: z.string().optional(),
  partOf: z.string().optional(),
};

/** A Binary. */
export const BinarySchema = z
  .object({
    ...common,
    type: z.literal('Binary'),
    contentType: z.string(),
    digest: z.string().optional(),
    size: z.number().int().optional(),
    origin: z.string().optional(),
    content: z.string(),
  })
  .openapi('Binary');

/** A Container (or ArchivalGroup / RepositoryRoot: same children). */
export const ContainerSchema = z
  .object({
    ...common,
    type: z.enum(['Container', 'ArchivalGroup', 'RepositoryRoot']),
    containers: z.array(
      z.object({ id: z.string(), type: z.string(), name: z.string().optional() }).passthrough(),
    ),
    binaries: z.array(BinarySchema),
    version: VersionSchema.optional(),
    versions: z.array(VersionSchema).optional(),
    storageMap: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Container');

/** The error body of every failure. */
export const ErrorSchema = z
  .object({
    message: z.string(),
    code: z.string(),
    key: z.string().optional(),
    problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Error');

/** Register the repository, content and storage-map paths. */
export function registerRepositoryPaths(registry: OpenAPIRegistry): void {
  const path = z.object({
    path: z.string().openapi({ description: 'resource path (permitted characters, % escapes)' }),
  });
  const errors = {
    401: { description: 'no or bad token', content: { 'application/json': { schema: ErrorSchema } } },
    404: { description: 'never existed', content: { 'application/json': { schema: ErrorSchema } } },
    410: { description: 'deleted (a tombstone)', content: { 'application/json': { schema: ErrorSchema } } },
  };
  registry.registerPath({
    method: 'get',
    path: '/repository/{path}',
    summary: 'Browse the repository: root, containers, Archival Groups (whole tree), binaries',
    request: {
      params: path,
      query: z.object({ view: z.enum(['lightweight', 'mets']).optional(), version: z.string().optional() }),
    },
    responses: {
      200: {
        description: 'the resource',
        content: {
          'application/json': { schema: z.union([ContainerSchema, BinarySchema]) },
          'application/xml': { schema: z.string() },
        },
      },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'put',
    path: '/repository/{path}',
    summary: 'Create a container outside any Archival Group (admin)',
    request: {
      params: path,
      body: { required: false, content: { 'application/json': { schema: CreateContainerBody } } },
    },
    responses: {
      201: { description: 'created', content: { 'application/json': { schema: ContainerSchema } } },
      409: {
        description: 'something is there, or inside a group',
        content: { 'application/json': { schema: ErrorSchema } },
      },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/repository/{path}',
    summary: 'Delete an empty container or a whole Archival Group (a tombstone), or purge it (admin)',
    request: { params: path, query: z.object({ purge: z.enum(['true', 'false']).optional() }) },
    responses: { 204: { description: 'deleted' }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/content/{path}',
    summary: 'The bytes of a binary (Range, conditional GET)',
    request: { params: path, query: z.object({ version: z.string().optional() }) },
    responses: {
      200: { description: 'the bytes' },
      206: { description: 'a range of the bytes' },
      304: { description: 'not modified' },
      416: { description: 'range not satisfiable' },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/ocfl/storagemap/{path}',
    summary: 'The StorageMap of an Archival Group version',
    request: { params: path, query: z.object({ version: z.string().optional() }) },
    responses: { 200: { description: 'the storage map' }, ...errors },
  });
}
