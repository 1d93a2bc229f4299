/**
 * A Repository: the read side of one OCFL storage root, as embedders, the CLI and the HTTP
 * server use it. It ties the engine's pieces together around object ids: list the ids, validate
 * the root or one object, the versions of an object, its storage map, its resources (Archival
 * Group / Container / Binary) and the bytes of one of its files.
 *
 * Reads never go through Fedora: everything comes from the OCFL object roots. Nothing here writes
 * (the write path is lib/txn).
 */
import type { Readable } from 'node:stream';
import { NotFoundError, UnsupportedError } from '../core/errors.js';
import type { ObjectResources } from '../core/fedora/model.js';
import { assertSafeRelativePath, quoteForMessage } from '../core/paths.js';
import type { StorageMap } from '../core/storage-map.js';
import { listVersions, resolveVersion, type VersionInfo } from '../core/versions.js';
import { getObjectResources, type ObjectResourcesOptions } from '../engine/fedora-resources.js';
import { getStorageMap, getStorageMapJson, type StorageMapOptions } from '../engine/storage-maps.js';
import {
  type OpenStorageRootOptions,
  openStorageRoot,
  type StorageRoot,
  type StoredObjectRef,
} from '../engine/storage-root.js';
import {
  type ObjectValidationOptions,
  type ObjectValidationReport,
  type StorageRootReport,
  type StorageRootValidationOptions,
  validateObject,
  validateStorageRoot,
} from '../engine/validate/index.js';
import { type OpenStoreOptions, openStore } from '../storage/location.js';
import { joinKey, type ReadableStore } from '../storage/port.js';

/** Options of {@link openRepository}: how to reach and read the storage root. */
export type OpenRepositoryOptions = Omit<OpenStorageRootOptions, 'prefix'> & {
  /** Key prefix of the storage root inside `store` (default '': the store's root). */
  prefix?: string;
  /** How to open a location given as a string (S3 connection settings, memory stores). */
  store?: OpenStoreOptions;
};

/** One version of an object, as {@link Repository.versions} lists it. */
export interface VersionSummary extends VersionInfo {
  /** The inventory's `created`, as written. */
  created: string;
  message?: string;
  user?: { name: string; address?: string };
}

/** Options of {@link Repository.readFile}. */
export interface ReadFileOptions {
  /** `vN` or a memento timestamp (default: the head). */
  version?: string;
  /** Inclusive byte range; `end` defaults to the last byte. */
  range?: { start: number; end?: number };
  signal?: AbortSignal;
}

/** The bytes of one logical file and what is known about them. */
export interface FileContent {
  /** The bytes (the requested range only). Destroy it to stop reading early. */
  stream: Readable;
  /** Size of the whole file in bytes. */
  size: number;
  /** The inventory digest of the file and its algorithm (e.g. `sha512`). */
  digest: string;
  digestAlgorithm: string;
  /** Resolved version directory name. */
  version: string;
  /** Where the bytes are, relative to the object root. */
  contentPath: string;
}

/**
 * Open the OCFL storage root at `location`: a directory path, a `file:///…` or `s3://bucket/prefix`
 * URI (opened read-only with `options.store`), or an already opened store (at `options.prefix`).
 * Throws InvalidInputError for a bad location, NotFoundError when there is no `0=ocfl_1.x`
 * declaration there, MalformedError for an unparseable `ocfl_layout.json`, and the store's
 * errors (IoError, AccessDeniedError).
 */
export async function openRepository(
  location: string | ReadableStore,
  options: OpenRepositoryOptions = {},
): Promise<Repository> {
  const { store: storeOptions, ...rootOptions } = options;
  const store = typeof location === 'string' ? await openStore(location, storeOptions) : location;
  return new Repository(await openStorageRoot(store, rootOptions));
}

/** The read side of one storage root. Create with {@link openRepository}. */
export class Repository {
  constructor(
    /** The engine's storage root (layout, id resolution, object reads). */
    readonly root: StorageRoot,
  ) {}

  /** The store the repository reads from. */
  get store(): ReadableStore {
    return this.root.store;
  }

  /**
   * Every object in the storage root, with its object root; objects whose inventory cannot be
   * read come with `error` instead of an id. Throws the store's errors.
   */
  listObjects(options: { signal?: AbortSignal } = {}): AsyncGenerator<StoredObjectRef> {
    return this.root.listObjects(options);
  }

  /** The ids of every readable object, sorted. Throws the store's errors. */
  async listIds(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    const ids: string[] = [];
    for await (const ref of this.listObjects(options)) if (ref.id !== undefined) ids.push(ref.id);
    return ids.sort();
  }

  /**
   * Validate the whole storage root and every object in it (fixity on by default). Findings are
   * collected in the report; throws only on storage errors and aborts.
   */
  validate(options: StorageRootValidationOptions = {}): Promise<StorageRootReport> {
    if (this.root.prefix !== '') {
      throw new UnsupportedError('validating a storage root below a key prefix needs a store opened there', {
        operation: 'validate',
        key: this.root.prefix,
      });
    }
    return validateStorageRoot(this.store, options);
  }

  /**
   * Validate object `id` (fixity on by default). Throws NotFoundError when the root has no such
   * object; findings are collected in the report.
   */
  async validateObject(id: string, options: ObjectValidationOptions = {}): Promise<ObjectValidationReport> {
    const objectRoot = await this.root.resolveObjectRoot(
      id,
      options.signal ? { signal: options.signal } : {},
    );
    const key = this.root.keyOf(objectRoot);
    if (!(await this.store.exists(joinKey(key, 'inventory.json')))) {
      throw new NotFoundError(`no object ${quoteForMessage(id)} in the storage root`, {
        operation: 'validateObject',
        key: id,
      });
    }
    return validateObject(this.store, key, {
      specVersion: this.root.specVersion as '1.0' | '1.1',
      ...options,
    });
  }

  /** The versions of object `id`, oldest first. Throws NotFoundError, InvalidObjectError. */
  async versions(id: string, options: { signal?: AbortSignal } = {}): Promise<VersionSummary[]> {
    const object = await this.root.openObject(id, options);
    return listVersions(object.view).map((info) => {
      const meta = object.view.versions[info.ocflVersion]!;
      const out: VersionSummary = { ...info, created: meta.created };
      if (meta.message !== undefined) out.message = meta.message;
      if (meta.user !== undefined) out.user = { ...meta.user };
      return out;
    });
  }

  /**
   * The Preservation API StorageMap of object `id` (default: its head version). Throws
   * NotFoundError for an unknown object or version, InvalidInputError for a malformed selector.
   */
  storageMap(id: string, options: StorageMapOptions = {}): Promise<StorageMap> {
    return getStorageMap(this.root, id, options);
  }

  /**
   * The StorageMap of object `id` as JSON text, served from the cache's stored text when the
   * repository has a cache (what the CLI and the server send). Throws as {@link storageMap}.
   */
  storageMapJson(id: string, options: StorageMapOptions = {}): Promise<string> {
    return getStorageMapJson(this.root, id, options);
  }

  /**
   * The repository resources (Archival Group, Containers, Binaries) of object `id` at a version
   * (default: the head). Throws NotFoundError, InvalidInputError.
   */
  resources(id: string, options: ObjectResourcesOptions = {}): Promise<ObjectResources> {
    return getObjectResources(this.root, id, options);
  }

  /**
   * Stream the bytes of logical file `logicalPath` of object `id` at a version (default: the
   * head), optionally a byte range. Throws NotFoundError for an unknown object, version or
   * file, InvalidInputError for a bad range, PathEscapeError when the inventory points outside
   * the object.
   */
  async readFile(id: string, logicalPath: string, options: ReadFileOptions = {}): Promise<FileContent> {
    const { key, ...info } = await this.locateFile(id, logicalPath, options);
    const readOptions = {
      ...(options.range && { start: options.range.start }),
      ...(options.range?.end !== undefined && { end: options.range.end }),
      ...(options.signal && { signal: options.signal }),
    };
    return { stream: await this.store.read(key, readOptions), ...info };
  }

  /**
   * What {@link readFile} would stream, without opening it: size, digest, version and content
   * path. Throws as readFile.
   */
  async statFile(
    id: string,
    logicalPath: string,
    options: Omit<ReadFileOptions, 'range'> = {},
  ): Promise<Omit<FileContent, 'stream'>> {
    const { key: _key, ...info } = await this.locateFile(id, logicalPath, options);
    return info;
  }

  private async locateFile(
    id: string,
    logicalPath: string,
    options: Omit<ReadFileOptions, 'range'>,
  ): Promise<Omit<FileContent, 'stream'> & { key: string }> {
    const object = await this.root.openObject(id, options.signal ? { signal: options.signal } : {});
    const version = resolveVersion(object.view, options.version);
    const file = object.view.files(version).find((f) => f.logicalPath === logicalPath);
    if (!file) {
      throw new NotFoundError(
        `object ${quoteForMessage(id)} has no file ${quoteForMessage(logicalPath)} in ${version}`,
        {
          operation: 'readFile',
          key: logicalPath,
        },
      );
    }
    const contentPath = assertSafeRelativePath(file.contentPath, 'content path');
    const key = joinKey(object.key, contentPath);
    const { size } = await this.store.stat(key);
    return {
      key,
      size,
      digest: file.digest,
      digestAlgorithm: object.view.digestAlgorithm,
      version,
      contentPath,
    };
  }
}
