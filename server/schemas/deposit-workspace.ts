/**
 * Schemas of working on a deposit (spec "Working with Deposit files and folders", "Modifying the
 * METS file", "Locking a Deposit"): the filesystem view's WorkingDirectory / WorkingFile, the
 * list of paths `POST /deposits/{id}/mets` takes (strings, or objects with `localPath` as the
 * reference implementation's clients send), the DeleteSelection, and the lock endpoints,
 * registered for the OpenAPI document. Property names are matched case-insensitively.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { MAX_EDIT_ITEMS } from '../../lib/index.js';
import { ErrorSchema } from './repository.js';
import { matchKeys } from './validate.js';

extendZodWithOpenApi(z);

/** `POST /deposits/{id}/mets`: deposit paths of files and folders to add or update. */
export const AddToMetsBody = z
  .array(
    z.union([
      z.string(),
      z.preprocess((v) => matchKeys(v, ['localPath']), z.object({ localPath: z.string() }).passthrough()),
    ]),
  )
  .min(1)
  .max(MAX_EDIT_ITEMS)
  .openapi('MetsPaths', {
    description:
      'Deposit-relative paths (BagIt deposits: with their data/ prefix); no "..", nothing absolute, no percent-encoded dots or slashes',
  });

const SelectedItem = z.preprocess(
  (v) => matchKeys(v, ['path', 'isDir']),
  z.object({ path: z.string(), isDir: z.boolean() }),
);

/** `POST /deposits/{id}/mets/delete`. */
export const DeleteSelectionBody = z
  .preprocess(
    (v) => matchKeys(v, ['deleteFromDepositFiles', 'deleteFromMets', 'items']),
    z.object({
      deleteFromDepositFiles: z.boolean().optional().default(false),
      deleteFromMets: z.boolean().optional().default(false),
      items: z.array(SelectedItem).min(1).max(MAX_EDIT_ITEMS),
    }),
  )
  .openapi('DeleteSelection');

const Metadata = z
  .object({ type: z.string(), source: z.string(), timestamp: z.string().nullable() })
  .passthrough()
  .openapi('Metadata');

const MetsExtensions = z
  .object({ physDivId: z.string().nullable(), admId: z.string().nullable() })
  .openapi('MetsExtensions');

const working = {
  localPath: z.string(),
  name: z.string().nullable(),
  modified: z.string().nullable(),
  metsExtensions: MetsExtensions.optional(),
  metadata: z.array(Metadata),
  accessRestrictions: z.array(z.string()),
  rightsStatement: z.string().nullable(),
};

/** A WorkingFile. */
export const WorkingFileSchema = z
  .object({
    type: z.literal('WorkingFile'),
    ...working,
    contentType: z.string().nullable(),
    digest: z.string().nullable(),
    size: z.number().int().nullable(),
  })
  .openapi('WorkingFile');

/** A WorkingDirectory (its `directories` are WorkingDirectories again). */
export const WorkingDirectorySchema = z
  .object({
    type: z.literal('WorkingDirectory'),
    ...working,
    files: z.array(WorkingFileSchema),
    directories: z.array(z.object({ type: z.literal('WorkingDirectory') }).passthrough()),
  })
  .openapi('WorkingDirectory');

/** Register the filesystem, METS editing and lock paths. */
export function registerWorkspacePaths(registry: OpenAPIRegistry): void {
  const id = z.object({ id: z.string() });
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const err = (description: string) => ({ description, ...json(ErrorSchema) });
  const ifMatch = z.object({ 'If-Match': z.string().openapi({ description: 'the METS ETag (metsETag)' }) });
  registry.registerPath({
    method: 'get',
    path: '/deposits/{id}/filesystem',
    summary:
      'The deposit as a WorkingDirectory tree, with what its METS, BagIt manifest and tool outputs say',
    request: { params: id, query: z.object({ refresh: z.enum(['true', 'false']).optional() }) },
    responses: {
      200: { description: 'the root WorkingDirectory', ...json(WorkingDirectorySchema) },
      404: err('no deposit'),
    },
  });
  const edited = z
    .object({
      items: z.array(z.object({ localPath: z.string(), change: z.string() }).passthrough()),
      metsETag: z.string().nullable(),
    })
    .passthrough()
    .openapi('MetsEditResult');
  const editErrors = {
    400: err(
      'a path or item that is unsafe, unknown, outside the METS folder, or a folder with unselected children',
    ),
    409: err('locked by someone else, or the METS is not the platform’s'),
    412: err('the If-Match ETag is stale'),
    428: err('If-Match is missing'),
  };
  registry.registerPath({
    method: 'post',
    path: '/deposits/{id}/mets',
    summary: 'Add or update files and folders in the platform-managed METS',
    request: { params: id, headers: ifMatch, body: json(AddToMetsBody) },
    responses: {
      200: { description: 'what was added or updated; ETag: the new METS ETag', ...json(edited) },
      ...editErrors,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/deposits/{id}/mets/delete',
    summary: 'Delete items from the deposit and/or its platform-managed METS (children before parents)',
    request: { params: id, headers: ifMatch, body: json(DeleteSelectionBody) },
    responses: { 200: { description: 'what was deleted', ...json(edited) }, ...editErrors },
  });
  registry.registerPath({
    method: 'post',
    path: '/deposits/{id}/lock',
    summary: 'Lock the deposit for the caller (force=true takes it from another holder)',
    request: { params: id, query: z.object({ force: z.enum(['true', 'false']).optional() }) },
    responses: { 204: { description: 'locked' }, 409: err('locked by someone else') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/deposits/{id}/lock',
    summary: 'Remove any lock (idempotent)',
    request: { params: id },
    responses: { 204: { description: 'unlocked' } },
  });
}
