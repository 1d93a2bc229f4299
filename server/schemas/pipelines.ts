/**
 * The pipeline endpoints in the OpenAPI document (spec "Tool outputs and pipelines"):
 * `POST /deposits/{id}/pipeline` takes no body; the runs are ProcessPipelineResults.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorSchema } from './repository.js';

extendZodWithOpenApi(z);

/** A ProcessPipelineResult as answered. */
export const ProcessPipelineResult = z
  .object({
    id: z.string(),
    type: z.literal('ProcessPipelineResult'),
    jobId: z.string(),
    deposit: z.string(),
    created: z.string(),
    createdBy: z.string(),
    lastModified: z.string(),
    lastModifiedBy: z.string(),
    archivalGroupName: z.string().nullable(),
    runUser: z.string().nullable(),
    status: z.enum(['waiting', 'processing', 'metadataCreated', 'completed', 'completedWithErrors']),
    dateBegun: z.string().nullable(),
    dateFinished: z.string().nullable(),
    errors: z.array(z.object({ message: z.string(), id: z.string().nullable() })).nullable(),
  })
  .openapi('ProcessPipelineResult');

/** Register the pipeline paths. */
export function registerPipelinePaths(registry: OpenAPIRegistry): void {
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const err = (description: string) => ({ description, ...json(ErrorSchema) });
  registry.registerPath({
    method: 'post',
    path: '/deposits/{id}/pipeline',
    summary:
      "Run the configured tools (Siegfried, ClamAV, ExifTool) over the deposit's objects; runs after the answer",
    request: { params: z.object({ id: z.string() }) },
    responses: {
      204: { description: 'queued (see pipelinerunjobs)' },
      404: err('no deposit'),
      409: err('locked by another agent, not active, exporting, or a run has not finished'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/deposits/{id}/pipelinerunjobs',
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: 'every run, oldest first', ...json(z.array(ProcessPipelineResult)) } },
  });
  registry.registerPath({
    method: 'get',
    path: '/deposits/{id}/pipelinerunjobs/{jobId}',
    request: { params: z.object({ id: z.string(), jobId: z.string() }) },
    responses: { 200: { description: 'one run', ...json(ProcessPipelineResult) }, 404: err('no such run') },
  });
}
