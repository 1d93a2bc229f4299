/**
 * The METS file an edit may rewrite, and the checks that come before any edit: there is a METS
 * file, it is the platform's own (Strongroom's profile: a third-party METS is read, never
 * rewritten), and the caller's `If-Match` names its current ETag (the store's etag of the file
 * as listed now, which the deposit's `metsETag` and `GET /deposits/{id}/mets` show).
 */
import { ConflictError, PreconditionFailedError, PreconditionRequiredError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import type { MetsModel } from '../formats/mets/model.js';
import { isEditable } from '../formats/mets/producer.js';
import type { DepositSources } from './deposit-sources.js';

/** The platform METS of a deposit, ready to be edited. */
export interface MetsTarget {
  /** Deposit path of the METS file. */
  key: string;
  /** Its etag now (what the rewrite is conditional on). */
  etag: string;
  /** Deposit folder METS paths are relative to ('' or `data`). */
  base: string;
  model: MetsModel;
}

/**
 * The entity tags of an `If-Match` header value (`"a"`, `W/"a"`, `a`, or a comma list), without
 * quotes or weakness marks. Throws PreconditionRequiredError when the header is missing or
 * empty, or is `*` (an edit must name the version it was made against).
 */
export function parseIfMatch(header: string | undefined): string[] {
  const value = header?.trim() ?? '';
  if (value === '')
    throw new PreconditionRequiredError('If-Match with the METS ETag (the deposit’s metsETag) is required');
  if (value === '*')
    throw new PreconditionRequiredError('If-Match must name the METS ETag; "*" is not accepted');
  const tags: string[] = [];
  for (const m of value.matchAll(/(?:W\/)?"([^"]*)"|([^\s,"]+)/g)) tags.push(m[1] ?? m[2]!);
  return tags.filter((t) => t !== '');
}

/**
 * Check the deposit's METS for an edit conditional on `ifMatch` (an If-Match header value).
 * Throws PreconditionRequiredError (no If-Match), ConflictError (no METS file, or not the
 * platform's), PreconditionFailedError (a stale ETag).
 */
export function metsTarget(sources: DepositSources, ifMatch: string | undefined): MetsTarget {
  const tags = parseIfMatch(ifMatch);
  const file = sources.metsFile;
  if (file === null)
    throw new ConflictError('the deposit has no METS file; only a platform-managed METS can be edited');
  if (sources.mets === null)
    throw new ConflictError(`the METS file ${quoteForMessage(file.key)} cannot be read, so it is not edited`);
  if (sources.mets.stub || !isEditable(sources.mets.model)) {
    throw new ConflictError(
      `the METS file ${quoteForMessage(file.key)} was not made by the platform: it is read, never rewritten through the API`,
      { key: file.key },
    );
  }
  if (file.etag === undefined || !tags.includes(file.etag)) {
    throw new PreconditionFailedError(
      `the METS file has changed: its ETag is "${file.etag ?? 'unknown'}", not ${quoteForMessage(tags.join(', '), 200)}`,
      { key: file.key },
    );
  }
  const base = file.key.includes('/') ? file.key.slice(0, file.key.lastIndexOf('/')) : '';
  return { key: file.key, etag: file.etag, base, model: sources.mets.model };
}
