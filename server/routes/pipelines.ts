/**
 * Deposit pipelines: `POST /deposits/{id}/pipeline` (204: the run is queued and runs after the
 * answer), `GET /deposits/{id}/pipelinerunjobs` (every ProcessPipelineResult, oldest first) and
 * `GET /deposits/{id}/pipelinerunjobs/{jobId}`.
 */
import type Router from '@koa/router';
import { pipelineRunJson } from '../json/pipelines.js';
import { requireRole } from '../middleware/auth.js';
import type { ServerServices } from '../services.js';

/** Register the pipeline routes. */
export function pipelineRoutes(router: Router, s: ServerServices): void {
  router.post('/deposits/:id/pipeline', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    await s.pipelines.start(ctx.params.id!, s.urls.agentId(p.agent));
    s.poke();
    ctx.status = 204;
  });

  router.get('/deposits/:id/pipelinerunjobs', async (ctx) => {
    const deposit = await s.deposits.get(ctx.params.id!);
    const runs = await s.pipelines.list(deposit.id);
    ctx.body = runs.map((r) => pipelineRunJson(s.urls, r, deposit));
  });

  router.get('/deposits/:id/pipelinerunjobs/:jobId', async (ctx) => {
    const deposit = await s.deposits.get(ctx.params.id!);
    ctx.body = pipelineRunJson(s.urls, await s.pipelines.get(deposit.id, ctx.params.jobId!), deposit);
  });
}
