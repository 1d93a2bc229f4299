/**
 * Identity resolvers (spec "Special Deposit Creation from identifier"): what turns a catalogue
 * identifier (`schema` + `value`) into the Archival Group a deposit is for, and its name. Which
 * resolver a server uses is configuration; two come with Strongroom:
 *
 * - {@link MappingFileResolver}: a JSON file, `{ "<schema>": { "<value>": { "archivalGroup":
 *   "<repository path or URI>", "archivalGroupName": "<name>" } } }`, read when created (the
 *   embedded default: an institution's small list, or a test's).
 * - {@link HttpTemplateResolver}: a catalogue service asked with a GET of a URL template in which
 *   `{schema}` and `{value}` are replaced (percent-encoded); it answers 200 with the same object
 *   as a mapping entry, or 404 for an unknown identifier.
 *
 * Either answers `undefined` for an identifier it does not know. Nothing from a resolver is
 * trusted further than a caller's own body: the group path is checked like any other.
 */
import { readFile } from 'node:fs/promises';
import {
  InvalidInputError,
  IoError,
  MalformedError,
  TooLargeError,
  UnprocessableError,
} from '../core/errors.js';
import { assertSafeRelativePath, quoteForMessage, truncateForMessage } from '../core/paths.js';
import { idToResourcePath } from '../core/resource-ids.js';

/** What an identifier resolves to. */
export interface ResolvedIdentity {
  /** The Archival Group as given by the resolver: a repository path, or a URI under the repository. */
  archivalGroup: string;
  archivalGroupName: string | null;
}

/** Turns `schema` + `value` into an Archival Group, or undefined for an unknown identifier. */
export interface IdentityResolver {
  /** The identity of `schema` + `value`, or undefined when unknown. Throws when the resolver itself fails. */
  resolve(
    schema: string,
    value: string,
    options?: { signal?: AbortSignal },
  ): Promise<ResolvedIdentity | undefined>;
}

/** Largest mapping file or catalogue answer read (4 MiB). */
export const MAX_IDENTITY_BYTES = 4 * 1024 * 1024;
/** Longest schema or value, in characters. */
export const MAX_IDENTIFIER_CHARS = 1024;

/** The identity in a resolver's JSON entry, or a MalformedError saying what is wrong. */
function identityOf(entry: unknown, where: string): ResolvedIdentity {
  const e = entry as Record<string, unknown> | null;
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    throw new MalformedError(`${where}: an entry must be an object`);
  const byLower = new Map(Object.keys(e).map((k) => [k.toLowerCase(), e[k]]));
  const group = byLower.get('archivalgroup');
  const name = byLower.get('archivalgroupname') ?? null;
  if (typeof group !== 'string' || group === '' || group.length > 4096)
    throw new MalformedError(`${where}: archivalGroup must be a non-empty string`);
  if (name !== null && (typeof name !== 'string' || name.length > 10_000))
    throw new MalformedError(`${where}: archivalGroupName must be a string`);
  return { archivalGroup: group, archivalGroupName: name };
}

/** Resolves from a JSON mapping file (see the module doc). */
export class MappingFileResolver implements IdentityResolver {
  private constructor(private readonly mapping: Map<string, Map<string, ResolvedIdentity>>) {}

  /**
   * Read and check the mapping at `path`. Throws IoError (unreadable), TooLargeError (over
   * {@link MAX_IDENTITY_BYTES}), MalformedError (not JSON, or an entry of the wrong shape).
   */
  static async load(path: string): Promise<MappingFileResolver> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw new IoError(`cannot read the identity mapping ${quoteForMessage(path)}`, {
        operation: 'read',
        key: path,
        cause,
      });
    }
    if (bytes.length > MAX_IDENTITY_BYTES)
      throw new TooLargeError(
        `the identity mapping is larger than ${MAX_IDENTITY_BYTES} bytes`,
        MAX_IDENTITY_BYTES,
      );
    return MappingFileResolver.fromJson(bytes.toString('utf8'), path);
  }

  /** A resolver over mapping text. Throws MalformedError. */
  static fromJson(text: string, where = 'identity mapping'): MappingFileResolver {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new MalformedError(`${where} is not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new MalformedError(`${where}: expected an object of schemas`);
    const mapping = new Map<string, Map<string, ResolvedIdentity>>();
    for (const [schema, values] of Object.entries(parsed)) {
      if (typeof values !== 'object' || values === null || Array.isArray(values))
        throw new MalformedError(
          `${where}: schema ${quoteForMessage(schema, 60)} must map values to entries`,
        );
      const entries = new Map<string, ResolvedIdentity>();
      for (const [value, entry] of Object.entries(values))
        entries.set(value, identityOf(entry, `${where} ${quoteForMessage(`${schema}/${value}`, 80)}`));
      mapping.set(schema, entries);
    }
    return new MappingFileResolver(mapping);
  }

  /** The mapping's entry, or undefined. */
  async resolve(schema: string, value: string): Promise<ResolvedIdentity | undefined> {
    const found = this.mapping.get(schema)?.get(value);
    return found ? { ...found } : undefined;
  }
}

/** Options of {@link HttpTemplateResolver}. */
export interface HttpTemplateOptions {
  /** Give up after this long (default 10 s): IoError. */
  timeoutMs?: number;
  /** Extra request headers (e.g. an API key). */
  headers?: Record<string, string>;
}

/** Resolves by asking a catalogue service over HTTP (see the module doc). */
export class HttpTemplateResolver implements IdentityResolver {
  constructor(
    /** `http(s)://…{schema}…{value}…`. */
    readonly template: string,
    private readonly options: HttpTemplateOptions = {},
  ) {}

  /** The URL asked for an identifier. */
  urlFor(schema: string, value: string): string {
    return this.template
      .replaceAll('{schema}', encodeURIComponent(schema))
      .replaceAll('{value}', encodeURIComponent(value));
  }

  /**
   * Ask the service. Undefined for 404; IoError when it cannot be reached, times out, answers
   * another failure, or answers something that is not a usable entry (not JSON, too large, the
   * wrong shape).
   */
  async resolve(
    schema: string,
    value: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<ResolvedIdentity | undefined> {
    const url = this.urlFor(schema, value);
    const signals = [AbortSignal.timeout(this.options.timeoutMs ?? 10_000)];
    if (options.signal) signals.push(options.signal);
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json', ...this.options.headers },
        signal: AbortSignal.any(signals),
        redirect: 'follow',
      });
    } catch (cause) {
      throw new IoError(`the identity service did not answer (${truncateForMessage(url, 200)})`, {
        operation: 'resolveIdentity',
        cause,
      });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new IoError(`the identity service answered ${res.status}`, { operation: 'resolveIdentity' });
    }
    // What the service answers is its problem, not the caller's: an unusable answer is a 503.
    try {
      return identityOf(JSON.parse(await readLimited(res)), 'the identity service answer');
    } catch (cause) {
      const why =
        cause instanceof SyntaxError ? 'not JSON' : truncateForMessage(String((cause as Error).message), 200);
      throw new IoError(`the identity service answered something unusable: ${why}`, {
        operation: 'resolveIdentity',
        cause,
      });
    }
  }
}

/** The body as text, refusing more than {@link MAX_IDENTITY_BYTES}. */
async function readLimited(res: Response): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!res.body) return '';
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_IDENTITY_BYTES)
      throw new TooLargeError(`more than ${MAX_IDENTITY_BYTES} bytes`, MAX_IDENTITY_BYTES);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The Archival Group an identifier resolves to, as a repository path. */
export interface ResolvedGroup {
  archivalGroupPath: string;
  archivalGroupName: string | null;
}

/**
 * Resolve `schema` + `value` with `resolver` to a repository path under `repositoryBase` (the
 * resolver may give a path or a URI under it). Throws UnprocessableError for an identifier the
 * resolver does not know, IoError for a resolver that fails or gives an archivalGroup that is
 * no usable repository path (its configuration is wrong, not the caller's request).
 */
export async function resolveArchivalGroup(
  resolver: IdentityResolver,
  schema: string,
  value: string,
  repositoryBase: string,
  options: { signal?: AbortSignal } = {},
): Promise<ResolvedGroup> {
  const found = await resolver.resolve(schema, value, options);
  if (!found)
    throw new UnprocessableError('the identifier is unknown to the identity resolver', [
      {
        path: 'value',
        message: `${quoteForMessage(schema, 80)} ${quoteForMessage(value, 200)} is not known`,
      },
    ]);
  let path: string;
  try {
    path = /^[a-z][a-z0-9+.-]*:/i.test(found.archivalGroup)
      ? idToResourcePath(repositoryBase, found.archivalGroup)
      : assertSafeRelativePath(found.archivalGroup.replace(/^\/+|\/+$/g, ''), 'archivalGroup');
    if (path === '') throw new InvalidInputError('the repository root');
  } catch (cause) {
    throw new IoError(
      `the identity resolver gave an archivalGroup that is not a repository path: ${quoteForMessage(found.archivalGroup, 120)}`,
      { operation: 'resolveIdentity', cause },
    );
  }
  return { archivalGroupPath: path, archivalGroupName: found.archivalGroupName };
}
