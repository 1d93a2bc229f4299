/**
 * Working on a deposit: `GET /deposits/{id}/filesystem[?refresh=true]` (the WorkingDirectory
 * tree), `POST /deposits/{id}/mets` and `POST /deposits/{id}/mets/delete` (editing the
 * platform-managed METS, conditional on `If-Match`), and `POST|DELETE /deposits/{id}/lock`.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { InvalidInputError, type Mismatch } from '../../lib/index.js';
import { requireRole } from '../middleware/auth.js';
import { AddToMetsBody, DeleteSelectionBody } from '../schemas/deposit-workspace.js';
import { parseBody } from '../schemas/validate.js';
import type { ServerServices } from '../services.js';

/** Most mismatches and problems shown beside the tree (the rest are counted). */
const LISTED = 1000;

function body(ctx: Context): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** A boolean query parameter: absent → false; `true`/`false`/`1`/`0` (any case); else 400. */
function flag(ctx: Context, name: string): boolean {
  const raw = ctx.query[name];
  if (raw === undefined) return false;
  const value = (Array.isArray(raw) ? raw[raw.length - 1]! : raw).toLowerCase();
  if (value === 'true' || value === '1' || value === '') return true;
  if (value === 'false' || value === '0') return false;
  throw new InvalidInputError(`${name}: expected true or false`);
}

function capped<T>(list: readonly T[]): { list: T[]; more: number } {
  return { list: list.slice(0, LISTED), more: Math.max(0, list.length - LISTED) };
}

/** Register the workspace routes. */
export function workspaceRoutes(router: Router, s: ServerServices): void {
  router.get('/deposits/:id/filesystem', async (ctx) => {
    requireRole(ctx, 'reader');
    const view = await s.workspace.filesystem(ctx.params.id!, { refresh: flag(ctx, 'refresh') });
    const mismatches = capped<Mismatch>(view.mismatches);
    const problems = capped(view.findings);
    ctx.body = {
      ...view.root,
      mismatches: mismatches.list,
      ...(mismatches.more > 0 && { moreMismatches: mismatches.more }),
      problems: problems.list,
      ...(problems.more > 0 && { moreProblems: problems.more }),
    };
  });

  router.post('/deposits/:id/mets', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    const paths = parseBody(AddToMetsBody, body(ctx));
    const result = await s.workspace.addToMets(ctx.params.id!, paths, {
      ifMatch: ctx.get('If-Match') || undefined,
      agent: s.urls.agentId(p.agent),
    });
    if (result.metsETag) ctx.set('ETag', `"${result.metsETag}"`);
    ctx.body = result;
  });

  router.post('/deposits/:id/mets/delete', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    const selection = parseBody(DeleteSelectionBody, body(ctx));
    const result = await s.workspace.deleteItems(ctx.params.id!, selection, {
      ifMatch: ctx.get('If-Match') || undefined,
      agent: s.urls.agentId(p.agent),
    });
    if (result.metsETag) ctx.set('ETag', `"${result.metsETag}"`);
    ctx.body = result;
  });

  router.post('/deposits/:id/lock', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    await s.workspace.lock(ctx.params.id!, s.urls.agentId(p.agent), { force: flag(ctx, 'force') });
    ctx.status = 204;
  });

  router.delete('/deposits/:id/lock', async (ctx) => {
    requireRole(ctx, 'depositor');
    await s.workspace.unlock(ctx.params.id!);
    ctx.status = 204;
  });
}
