/**
 * `/repository/{path}`: browse (GET, HEAD with `X-Preservation-Resource-Type`), create a
 * container outside any Archival Group (PUT, admin), delete an empty container or a whole
 * Archival Group to a tombstone, or purge it (DELETE, admin; a group's deletion is a Delete in
 * the activity stream). `?view=lightweight` leaves out children, `?version=` picks a group's version,
 * `?view=mets` returns a group's METS XML. 404 for what never existed, 410 for tombstones.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { InvalidInputError, idPathToResourcePath, NotFoundError } from '../../lib/index.js';
import { archivalGroupJson, binaryJson, containerJson, structureJson } from '../json/repository.js';
import { requireRole } from '../middleware/auth.js';
import { CreateContainerBody } from '../schemas/repository.js';
import { matchKeys, parseBody } from '../schemas/validate.js';
import type { ServerServices } from '../services.js';

/** The resource path of a request under `prefix` (`/repository`), from the raw (encoded) path. */
export function pathUnder(ctx: Context, prefix: string): string {
  const raw = ctx.path.slice(prefix.length).replace(/^\/+|\/+$/g, '');
  return idPathToResourcePath(raw);
}

async function describe(ctx: Context, s: ServerServices) {
  const path = pathUnder(ctx, '/repository');
  const view = typeof ctx.query.view === 'string' ? ctx.query.view : undefined;
  if (view !== undefined && view !== 'lightweight' && view !== 'mets') {
    throw new InvalidInputError(`unknown view ${JSON.stringify(view)} (lightweight or mets)`);
  }
  const version = typeof ctx.query.version === 'string' ? ctx.query.version : undefined;
  const located = await s.browser.locate(path, version ? { version } : {});
  const lightweight = view === 'lightweight';
  switch (located.kind) {
    case 'root':
      return {
        type: 'RepositoryRoot',
        body: structureJson(
          s.urls,
          { path: '', type: 'RepositoryRoot' },
          await s.browser.childObjects(''),
          lightweight,
        ),
      };
    case 'Container':
      return {
        type: 'Container',
        body: structureJson(
          s.urls,
          { path, type: 'Container', name: located.name, header: located.header },
          await s.browser.childObjects(path),
          lightweight,
        ),
      };
    case 'ArchivalGroup': {
      if (view === 'mets')
        return { type: 'ArchivalGroup', mets: await s.metsOf(located.objectId, located.resources) };
      const storageMap = await s.browser.storageMap(located);
      return {
        type: 'ArchivalGroup',
        body: archivalGroupJson(s.urls, path, located.resources, {
          lightweight,
          storageMap,
          ...(version && { version }),
        }),
      };
    }
    case 'part': {
      if (view === 'mets') throw new InvalidInputError('view=mets is only for an Archival Group');
      const r = located.resource;
      const body =
        r.type === 'Binary'
          ? binaryJson(s.urls, located.groupPath, r, version)
          : containerJson(s.urls, located.groupPath, r, {
              deep: false,
              lightweight,
              ...(version && { version }),
            });
      return { type: r.type, body };
    }
  }
}

/** Register the repository routes. */
export function repositoryRoutes(router: Router, s: ServerServices): void {
  router.get('/repository{/*path}', async (ctx) => {
    const found = await describe(ctx, s);
    ctx.set('X-Preservation-Resource-Type', found.type);
    if ('mets' in found && found.mets) {
      ctx.type = 'application/xml';
      ctx.body = found.mets;
      return;
    }
    ctx.body = found.body;
  });

  router.head('/repository{/*path}', async (ctx) => {
    const path = pathUnder(ctx, '/repository');
    const located = await s.browser.locate(path);
    const type =
      located.kind === 'root'
        ? 'RepositoryRoot'
        : located.kind === 'part'
          ? located.resource.type
          : located.kind;
    ctx.set('X-Preservation-Resource-Type', type);
    ctx.status = 200;
  });

  router.put('/repository{/*path}', async (ctx) => {
    const principal = requireRole(ctx, 'admin');
    const path = pathUnder(ctx, '/repository');
    if (path === '') throw new InvalidInputError('the repository root exists already');
    const raw = (ctx.request as { body?: unknown }).body ?? {};
    const body = parseBody(CreateContainerBody, matchKeys(raw, ['type', 'name']));
    const name = body.name ?? path.slice(path.lastIndexOf('/') + 1);
    await s.writer.createContainer(path, {
      name,
      agent: { name: principal.agent, address: principal.agent },
    });
    await s.browser.noteWrite(path, 'Container', name);
    const located = await s.browser.locate(path);
    if (located.kind !== 'Container') throw new NotFoundError('the container vanished');
    ctx.status = 201;
    ctx.set('Location', s.urls.repository(path));
    ctx.body = structureJson(
      s.urls,
      { path, type: 'Container', name: located.name, header: located.header },
      [],
    );
  });

  router.delete('/repository{/*path}', async (ctx) => {
    const principal = requireRole(ctx, 'admin');
    const path = pathUnder(ctx, '/repository');
    if (path === '') throw new InvalidInputError('the repository root cannot be deleted');
    const purge = ctx.query.purge === 'true';
    const kind = await s.writer.kindOf(path);
    const agentId = s.urls.agentId(principal.agent);
    // A group goes whole, with its Delete in the activity stream; asking again about a deleted
    // group appends the Delete should a crash have come between the two.
    if (kind === 'ArchivalGroup') await s.activity.deleteGroup(s.writer, path, agentId, principal.agent);
    else if (kind === 'tombstone') await s.activity.recordDeletion(s.browser, path, agentId);
    if (kind !== 'ArchivalGroup' && (kind !== 'tombstone' || !purge)) {
      await s.writer.deleteContainer(path, { agent: { name: principal.agent, address: principal.agent } });
    }
    if (purge) await s.writer.purge(path);
    await s.browser.noteWrite(path, undefined);
    ctx.status = 204;
  });
}
