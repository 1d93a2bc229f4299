/**
 * `/deposits`: create (201 + Location), read, list (every query parameter of the spec), patch,
 * delete (with the working area), the METS file (with an ETag), the diff ImportJob, running an
 * import job (201 with an ImportJobResult `waiting`: it runs after the answer), its results and
 * the job as submitted, and exports into a new deposit.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import {
  type ImportJob,
  type ImportJobResultRecord,
  InvalidInputError,
  idToResourcePath,
  NotFoundError,
  parseDepositQuery,
  type VersionSummary,
} from '../../lib/index.js';
import { importJobJson, resultJson, storedJobJson } from '../json/deposits.js';
import { requireRole } from '../middleware/auth.js';
import {
  CreateDepositBody,
  ExportBody,
  IMPORT_JOB_KEYS,
  ImportJobBody,
  PatchDepositBody,
} from '../schemas/deposits.js';
import { matchKeys, parseBody } from '../schemas/validate.js';
import type { ServerServices } from '../services.js';
import { show } from './deposit-view.js';

function body(ctx: Context): unknown {
  return (ctx.request as { body?: unknown }).body ?? {};
}

function groupPath(s: ServerServices, id: string | null | undefined): string | null | undefined {
  if (id === undefined || id === null) return id;
  const path = idToResourcePath(s.urls.repositoryBase, id);
  if (path === '') throw new InvalidInputError('archivalGroup: the repository root is not an Archival Group');
  return path;
}

/** Version objects of a group, looked up once per request. */
async function versionLookup(s: ServerServices, groupPathValue: string) {
  let versions: VersionSummary[] = [];
  try {
    versions = await s.repository.versions(`info:fedora/${groupPathValue}`);
  } catch {
    versions = [];
  }
  return (name: string | null) =>
    name === null ? null : (versions.find((v) => v.ocflVersion === name) ?? null);
}

/** Register the deposit routes. */
export function depositRoutes(router: Router, s: ServerServices): void {
  router.post('/deposits', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    const input = parseBody(
      CreateDepositBody,
      matchKeys(body(ctx), ['type', 'template', 'archivalGroup', 'archivalGroupName', 'submissionText']),
    );
    const group = groupPath(s, input.archivalGroup);
    const deposit = await s.deposits.create(
      {
        ...(group !== undefined && { archivalGroupPath: group }),
        ...(input.archivalGroupName !== undefined && { archivalGroupName: input.archivalGroupName }),
        ...(input.submissionText !== undefined && { submissionText: input.submissionText }),
        ...(input.template !== undefined && { template: input.template }),
      },
      s.urls.agentId(p.agent),
    );
    ctx.status = 201;
    ctx.set('Location', s.urls.deposit(deposit.id));
    ctx.body = await show(s, deposit);
  });

  router.post('/deposits/export', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    const input = parseBody(
      ExportBody,
      matchKeys(body(ctx), ['type', 'archivalGroup', 'versionExported', 'version', 'exportMode', 'mode']),
    );
    const group = groupPath(s, input.archivalGroup)!;
    const version = input.versionExported ?? input.version;
    const deposit = await s.deposits.startExport(
      group,
      { ...(version !== undefined && { version }), mode: input.exportMode ?? input.mode ?? 'full' },
      s.urls.agentId(p.agent),
    );
    s.poke();
    ctx.status = 201;
    ctx.set('Location', s.urls.deposit(deposit.id));
    ctx.body = await show(s, deposit);
  });

  router.get('/deposits', async (ctx) => {
    const query = parseDepositQuery(ctx.query as Record<string, string | string[] | undefined>, {
      agentBase: `${s.urls.base}/agents/`,
      repositoryBase: s.urls.repositoryBase,
    });
    const page = await s.deposits.list(query);
    ctx.body = {
      type: 'DepositPage',
      page: page.page,
      pageSize: page.pageSize,
      total: page.total,
      deposits: await Promise.all(page.deposits.map((d) => show(s, d))),
    };
  });

  router.get('/deposits/:id', async (ctx) => {
    ctx.body = await show(s, await s.deposits.get(ctx.params.id!));
  });

  router.patch('/deposits/:id', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    const input = parseBody(
      PatchDepositBody,
      matchKeys(body(ctx), ['archivalGroup', 'archivalGroupName', 'submissionText']),
    );
    const group = groupPath(s, input.archivalGroup);
    const deposit = await s.deposits.patch(
      ctx.params.id!,
      {
        ...(group !== undefined && { archivalGroupPath: group }),
        ...(input.archivalGroupName !== undefined && { archivalGroupName: input.archivalGroupName }),
        ...(input.submissionText !== undefined && { submissionText: input.submissionText }),
      },
      s.urls.agentId(p.agent),
    );
    ctx.body = await show(s, deposit);
  });

  router.delete('/deposits/:id', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    await s.deposits.delete(ctx.params.id!, s.urls.agentId(p.agent));
    ctx.status = 204;
  });

  router.get('/deposits/:id/mets', async (ctx) => {
    const mets = await s.depositMets(await s.deposits.get(ctx.params.id!));
    if (!mets) throw new NotFoundError('the deposit has no METS file');
    ctx.type = 'application/xml';
    if (mets.etag) ctx.set('ETag', `"${mets.etag}"`);
    ctx.body = mets.stream;
  });

  router.get('/deposits/:id/importjobs/diff', async (ctx) => {
    const p = requireRole(ctx, 'reader');
    const id = ctx.params.id!;
    const transient = `${s.urls.deposit(id)}/importjobs/transient/${Date.now()}`;
    const diff = await s.deposits.diff(id, s.urls.agentId(p.agent), transient);
    const { job } = diff;
    ctx.body = importJobJson(s.urls, id, job as unknown as ImportJob & Record<string, unknown>, {
      id: transient,
      originalId: `${s.urls.deposit(id)}/importjobs/diff`,
      createdBy: s.urls.agentId(p.agent),
    });
  });

  router.post('/deposits/:id/importjobs', async (ctx) => {
    const p = requireRole(ctx, 'depositor');
    const depositId = ctx.params.id!;
    const raw = matchKeys(body(ctx), IMPORT_JOB_KEYS) as Record<string, unknown>;
    const diffId = `${s.urls.deposit(depositId)}/importjobs/diff`;
    const onlyId = Object.keys(raw).length === 1 && typeof raw.id === 'string';
    let result: ImportJobResultRecord;
    if (onlyId) {
      if (raw.id !== diffId)
        throw new InvalidInputError(`id: only this deposit's diff (${diffId}) may be sent alone`);
      result = await s.deposits.submitJob(
        depositId,
        { kind: 'diff', originalId: diffId },
        s.urls.agentId(p.agent),
      );
    } else {
      const parsed = parseBody(ImportJobBody, raw);
      const deposit = await s.deposits.get(depositId);
      const job: ImportJob = {
        ...parsed,
        archivalGroup:
          parsed.archivalGroup ??
          (deposit.archivalGroupPath ? `${s.urls.repositoryBase}${deposit.archivalGroupPath}` : ''),
        ...(parsed.archivalGroupName === null && { archivalGroupName: undefined }),
      } as ImportJob;
      result = await s.deposits.submitJob(depositId, { kind: 'job', job }, s.urls.agentId(p.agent));
    }
    s.poke();
    ctx.status = 201;
    ctx.set('Location', `${s.urls.deposit(depositId)}/importjobs/results/${result.id}`);
    ctx.body = resultJson(s.urls, result, await versionLookup(s, result.archivalGroupPath));
  });

  router.get('/deposits/:id/importjobs/results', async (ctx) => {
    const results = await s.deposits.results(ctx.params.id!);
    const lookups = new Map<string, Awaited<ReturnType<typeof versionLookup>>>();
    const out = [];
    for (const r of results) {
      if (!lookups.has(r.archivalGroupPath))
        lookups.set(r.archivalGroupPath, await versionLookup(s, r.archivalGroupPath));
      out.push(resultJson(s.urls, r, lookups.get(r.archivalGroupPath)!));
    }
    ctx.body = out;
  });

  router.get('/deposits/:id/importjobs/results/:jobId', async (ctx) => {
    const r = await s.deposits.result(ctx.params.id!, ctx.params.jobId!);
    ctx.body = resultJson(s.urls, r, await versionLookup(s, r.archivalGroupPath));
  });

  router.get('/deposits/:id/importjobs/:jobId', async (ctx) => {
    const record = await s.deposits.job(ctx.params.id!, ctx.params.jobId!);
    const result = await s.deposits.result(ctx.params.id!, ctx.params.jobId!);
    const versions = await versionLookup(s, result.archivalGroupPath);
    ctx.body = storedJobJson(
      s.urls,
      record,
      result.sourceVersion === null ? undefined : versions(result.sourceVersion),
    );
  });
}
