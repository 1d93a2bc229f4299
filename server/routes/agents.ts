/** `GET /agents`: every known agent, as URIs (spec "Agents"). */
import type Router from '@koa/router';
import type { ServerServices } from '../services.js';

/** Register the agents route. */
export function agentRoutes(router: Router, s: ServerServices): void {
  router.get('/agents', async (ctx) => {
    ctx.body = (await s.agents()).map((id) => s.urls.agent(id));
  });
}
