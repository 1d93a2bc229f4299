/**
 * The OpenAPI 3.1 document (`GET /openapi.json`), generated from the same zod schemas that
 * validate requests, so it cannot drift from the code.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerWorkspacePaths } from './deposit-workspace.js';
import { registerDepositPaths } from './deposits.js';
import { registerFeedPaths } from './feeds.js';
import { registerPipelinePaths } from './pipelines.js';
import { registerRepositoryPaths } from './repository.js';

/** Build the document for a server at `baseUrl`. */
export function openApiDocument(baseUrl: string): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  registerRepositoryPaths(registry);
  registerDepositPaths(registry);
  registerPipelinePaths(registry);
  registerFeedPaths(registry);
  registerWorkspacePaths(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Strongroom Preservation API', version: '0.1.0' },
    servers: [{ url: baseUrl }],
    security: [{ bearer: [] }],
  });
}
