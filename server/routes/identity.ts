/**
 * `POST /deposits/from-identifier` (spec "Special Deposit Creation from identifier"): a deposit
 * for the Archival Group a catalogue identifier resolves to, with `archivalGroup` and
 * `archivalGroupName` filled in. Without a configured resolver: 501.
 */
import type Router from '@koa/router';
import { resolveArchivalGroup, UnsupportedError } from '../../lib/index.js';
import { requireRole } from '../middleware/auth.js';
import { SchemaAndValueBody } from '../schemas/feeds.js';
import { matchKeys, parseBody } from '../schemas/validate.js';
import type { ServerServices } from '../services.js';
import { show } from './deposit-view.js';

/** Register the route. */
export function identityRoutes(router: Router, s: ServerServices): void {
  router.post('/deposits/from-identifier', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    const raw = (ctx.request as { body?: unknown }).body ?? {};
    const input = parseBody(SchemaAndValueBody, matchKeys(raw, ['schema', 'value', 'template']));
    if (!s.identity)
      throw new UnsupportedError(
        'no identity resolver is configured: set STRONGROOM_IDENTITY_MAP (a JSON mapping file) or STRONGROOM_IDENTITY_URL (a catalogue URL template)',
      );
    const group = await resolveArchivalGroup(s.identity, input.schema, input.value, s.urls.repositoryBase);
    const deposit = await s.deposits.create(
      { ...group, ...(input.template !== undefined && { template: input.template }) },
      s.urls.agentId(p.agent),
    );
    ctx.status = 201;
    ctx.set('Location', s.urls.deposit(deposit.id));
    ctx.body = await show(s, deposit);
  });
}
