/**
 * `/content/{path}?version=`: the bytes of a binary, streamed straight from its OCFL content file
 * (on S3 a ranged GetObject, never a temporary copy), with its Content-Type, Content-Length, a
 * strong ETag from its SHA-256, `Content-Disposition` carrying the original name, single-range
 * requests (206, 416) and conditional GETs (304; If-Match: 412).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { InvalidInputError, PreconditionFailedError } from '../../lib/index.js';
import type { ServerServices } from '../services.js';
import { pathUnder } from './repository.js';

/** `inline; filename="…"; filename*=UTF-8''…` (RFC 6266 / 5987) for a name of any UTF-8. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The one range of a `Range` header within `size`, 'unsatisfiable', or undefined (serve it all). */
export function parseRange(
  header: string,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // multiple or malformed ranges: the whole body
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}

/** Register the content route. */
export function contentRoutes(router: Router, s: ServerServices): void {
  router.get('/content{/*path}', async (ctx: Context) => {
    const path = pathUnder(ctx, '/content');
    const version = typeof ctx.query.version === 'string' ? ctx.query.version : undefined;
    const located = await s.browser.locate(path, version ? { version } : {});
    if (located.kind !== 'part' || located.resource.type !== 'Binary') {
      throw new InvalidInputError(`${path} is not a Binary: content is only served for binaries`);
    }
    const binary = located.resource;
    // Size and reader from the located group: its inventory is not read again.
    const content = await s.browser.content(located);
    const etag = binary.digest ? `"${binary.digest}"` : undefined;
    if (etag) ctx.set('ETag', etag);
    ctx.set('Accept-Ranges', 'bytes');
    ctx.set('Content-Disposition', contentDisposition(binary.name));
    if (binary.lastModified) ctx.set('Last-Modified', new Date(binary.lastModified).toUTCString());
    // If-Match (RFC 9110 §13.1.1): a client reading a version it already knows, strong comparison.
    const ifMatch = ctx.get('If-Match');
    if (ifMatch && !ifMatch.split(',').some((t) => t.trim() === '*' || (etag && t.trim() === etag))) {
      throw new PreconditionFailedError(`the content's ETag (${etag ?? 'none'}) matches no If-Match tag`);
    }
    const ifNoneMatch = ctx.get('If-None-Match');
    if (etag && ifNoneMatch && etagMatches(ifNoneMatch, etag)) {
      ctx.status = 304;
      return;
    }
    const ifRange = ctx.get('If-Range');
    const rangeHeader = ctx.get('Range') && (!ifRange || ifRange === etag) ? ctx.get('Range') : '';
    const size = content.size;
    const range = rangeHeader ? parseRange(rangeHeader, size) : undefined;
    if (range === 'unsatisfiable') {
      ctx.status = 416;
      ctx.set('Content-Range', `bytes */${size}`);
      ctx.body = { message: `range not satisfiable for ${size} bytes`, code: 'INVALID_INPUT' };
      return;
    }
    const stream = await content.open(range);
    ctx.type = binary.contentType ?? 'application/octet-stream';
    if (range) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      ctx.length = range.end - range.start + 1;
    } else ctx.length = size;
    // A client that goes away destroys the stream, which aborts the store read.
    ctx.req.on('close', () => stream.destroy());
    ctx.body = stream;
  });
}
