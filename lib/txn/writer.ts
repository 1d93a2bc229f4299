/**
 * The writing side of a repository: the only place a writable store is opened. A
 * RepositoryWriter begins transactions on Archival Groups, deletes a group whole (to a
 * tombstone), and creates, deletes (to a tombstone) and purges the standalone containers that structure the repository above the groups, each as
 * its own OCFL object the way Fedora 6 stores them (FEDORA-OCFL §4.2).
 *
 * Structure rules: a new group or container needs its parent to be the repository root or a live
 * standalone container; nothing is created inside an Archival Group from here (its parts come
 * through its transactions); a tombstone blocks its path until purged (GoneError).
 */
import { ConflictError, GoneError, NotFoundError, UnsupportedError } from '../core/errors.js';
import type { ContentPathMapper } from '../core/fedora/content-paths.js';
import {
  containerRdfPathFor,
  containerTitleFromRdf,
  fedoraIdOf,
  parentIdOf,
} from '../core/fedora/header-writer.js';
import { ROOT_HEADER } from '../core/fedora/paths.js';
import { FEDORA_LAYOUT_CONFIG, LAYOUT_EXTENSIONS } from '../core/layout/index.js';
import { assertSafeInventoryPath } from '../core/ocfl/path-safety.js';
import { assertSafeRelativePath, quoteForMessage } from '../core/paths.js';
import type { ObjectChange } from '../core/plan/changes.js';
import { ObjectTree } from '../core/plan/object-tree.js';
import { openStorageRoot, type StorageRoot } from '../engine/storage-root.js';
import type { HashPool } from '../hash/pool.js';
import type { OpenStoreOptions } from '../storage/location.js';
import { joinKey, type WritableStore } from '../storage/port.js';
import { type OpenWritableStoreOptions, openWritableStore } from '../storage/writable.js';
import { BaseCache, readBase, readHeaders } from './base.js';
import { newTxId } from './claim.js';
import { type CommitContext, type CommitRequest, type CommitResult, commitVersion } from './commit.js';
import { purgeObject } from './purge.js';
import { recoverObject } from './recover.js';
import { type RecoveryReport, recoverStorageRoot, type StorageRootRecoveryOptions } from './recover-root.js';
import { sourceRoots } from './sources.js';
import { type CommitOptions, Transaction } from './transaction.js';

/** Options of {@link openRepositoryWriter}. */
export interface OpenRepositoryWriterOptions {
  /** How to open the repository's location (S3 connection, fs durability). */
  store?: OpenWritableStoreOptions;
  /** How to open source locations (default: the repository's `store.s3` settings). */
  sourceStore?: OpenStoreOptions;
  /** Create an empty storage root (Fedora's layout: 0004, sha256, 3×3) when there is none. Default false. */
  create?: boolean;
  /** Inventory digest algorithm of new objects (default sha512: OCFL's recommendation and Fedora's default). */
  digestAlgorithm?: 'sha512' | 'sha256';
  /** Content path encoding (default `cloud` on S3, `linux` elsewhere: what Fedora uses there). */
  mapper?: ContentPathMapper;
  /** Copies at once per commit (default 8); filesystem copies run two tasks per `pool` thread. */
  concurrency?: number;
  /** Worker threads for filesystem copies and housekeeping files (default: the shared hashing pool). */
  pool?: HashPool;
  /** Claim lease in ms (default 2 minutes). */
  leaseMs?: number;
  /**
   * Copies into S3 of at least this many bytes are resumable after a crash: multipart, with the
   * part etags and hash states checkpointed (default 1 GiB; see lib/txn/copy.ts).
   */
  checkpointBytes?: number;
}

/** Options of {@link RepositoryWriter.begin}. */
export interface BeginOptions {
  /** Who makes the change: recorded as createdBy/lastModifiedBy and as the version's user. */
  agent: { name: string; address?: string };
  message?: string;
  /**
   * The version the changes were made against: `vN`, or `null` for "the group must not exist
   * yet". Absent: whatever the head is at commit time.
   */
  sourceVersion?: string | null;
  /** Name of a group this transaction creates. */
  name?: string;
  /** Location URIs (folders) that sources may be read from. Required for putBinary. */
  sources?: readonly string[];
  /** Reuse an id to resume a transaction that failed mid-way (its own claim is taken back). */
  id?: string;
}

/** Options of {@link RepositoryWriter.recover}. */
export interface WriterRecoverOptions extends StorageRootRecoveryOptions {
  /** Recover only the object at this repository path (default: every object). */
  path?: string;
}

/** What stands at a repository path. */
export type ObjectKind = 'absent' | 'ArchivalGroup' | 'Container' | 'tombstone';

/** Create the files of an empty storage root with Fedora's layout (idempotent). */
async function initStorageRoot(store: WritableStore): Promise<void> {
  const quiet = (p: Promise<unknown>) =>
    p.catch((err) => (err?.code === 'ALREADY_EXISTS' ? undefined : Promise.reject(err)));
  const ext = LAYOUT_EXTENSIONS.hashedNTuple;
  await quiet(
    store.write(
      `extensions/${ext}/config.json`,
      JSON.stringify({ extensionName: ext, ...FEDORA_LAYOUT_CONFIG }, null, 2),
      { ifNoneMatch: true },
    ),
  );
  await quiet(
    store.write(
      'ocfl_layout.json',
      JSON.stringify(
        { extension: ext, description: 'Hashed N-tuple storage layout (Fedora 6 default)' },
        null,
        2,
      ),
      { ifNoneMatch: true },
    ),
  );
  await quiet(store.write('0=ocfl_1.1', 'ocfl_1.1\n', { ifNoneMatch: true }));
  await store.sync(['0=ocfl_1.1', 'ocfl_layout.json', `extensions/${ext}/config.json`]);
}

/**
 * Open the repository at `location` for writing. Throws NotFoundError when there is no storage
 * root there (unless `create`), UnsupportedError when its layout is not one we can write with.
 */
export async function openRepositoryWriter(
  location: string,
  options: OpenRepositoryWriterOptions = {},
): Promise<RepositoryWriter> {
  const store = await openWritableStore(location, options.store);
  if (options.create && !(await store.exists('0=ocfl_1.1'))) await initStorageRoot(store);
  const root = await openStorageRoot(store);
  if (!root.layout) {
    throw new UnsupportedError(`the storage root at ${store.uri} has no layout Strongroom can write with`);
  }
  return new RepositoryWriter(store, root, options);
}

/** Writes to one storage root. Create with {@link openRepositoryWriter}. */
export class RepositoryWriter {
  readonly #locks = new Map<string, Promise<unknown>>();
  /** Root inventories read or written by this writer (reused while unchanged: base.ts). */
  readonly #bases = new BaseCache();

  constructor(
    readonly store: WritableStore,
    /** The storage root as the engine reads it (same store). */
    readonly root: StorageRoot,
    private readonly options: OpenRepositoryWriterOptions,
  ) {}

  /** Store key of the object for repository path `path`. */
  objectKeyOf(path: string): string {
    return this.root.keyOf(this.root.objectRootFor(fedoraIdOf(path)));
  }

  /** What stands at `path`: nothing, a group, a standalone container, or a tombstone. */
  async kindOf(path: string): Promise<ObjectKind> {
    const key = this.objectKeyOf(path);
    const base = await readBase(this.store, key, fedoraIdOf(path), this.#bases);
    if (!base.inventory) return 'absent';
    const root = (await readHeaders(this.store, key, base.inventory, [ROOT_HEADER])).get(ROOT_HEADER);
    if (root?.deleted) return 'tombstone';
    return root?.archivalGroup ? 'ArchivalGroup' : 'Container';
  }

  /**
   * The head version and stored name (its `dc:title`) of the object at `path`, or undefined when
   * there is none. Reads the root inventory (usually cached) and one small RDF file. Throws the
   * store's errors, InvalidObjectError.
   */
  async headOf(path: string): Promise<{ version: string; name?: string } | undefined> {
    const key = this.objectKeyOf(path);
    const base = await readBase(this.store, key, fedoraIdOf(path), this.#bases);
    const inventory = base.inventory;
    if (!inventory) return undefined;
    const state = inventory.versions[inventory.head]?.state ?? {};
    const rdf = containerRdfPathFor('');
    let contentPath: string | undefined;
    for (const digest in state) {
      if (state[digest]!.includes(rdf)) {
        contentPath = inventory.manifest[digest]?.[0];
        break;
      }
    }
    const out: { version: string; name?: string } = { version: inventory.head };
    if (contentPath === undefined) return out;
    const bytes = await this.store.readBytes(
      joinKey(key, assertSafeInventoryPath(contentPath, 'content path', path)),
      {
        maxBytes: 1024 * 1024,
      },
    );
    const name = containerTitleFromRdf(bytes.toString('utf8'));
    if (name !== undefined) out.name = name;
    return out;
  }

  /**
   * Begin a transaction on the Archival Group at `path` (created by the first commit when it
   * does not exist). Nothing is checked or written until `commit()`.
   */
  begin(path: string, options: BeginOptions): Transaction {
    const clean = assertSafeRelativePath(path, 'repository path');
    const id = options.id ?? newTxId();
    return new Transaction(clean, id, (changes, commit) =>
      this.locked(clean, async () => {
        const kind = await this.kindOf(clean);
        if (kind === 'absent') await this.assertCreatable(clean);
        else if (kind === 'tombstone') throw gone(clean);
        else if (kind !== 'ArchivalGroup')
          throw new ConflictError(`${quoteForMessage(clean)} is a Container, not an Archival Group`, {
            key: clean,
          });
        const request: CommitRequest = {
          txId: id,
          objectId: fedoraIdOf(clean),
          parentId: parentIdOf(clean),
          rootKind: 'ArchivalGroup',
          ...(kind === 'absent' && { rootName: options.name ?? lastSegment(clean) }),
          changes,
          agent: options.agent,
          ...(options.message !== undefined && { message: options.message }),
          ...(options.sourceVersion !== undefined && { expectedHead: options.sourceVersion }),
        };
        return this.commit(clean, request, options.sources ?? [], commit);
      }),
    );
  }

  /**
   * Create a standalone container at `path` (its own object, outside any group). Throws
   * ConflictError (something is there, or the parent is inside a group), GoneError (a
   * tombstone), NotFoundError (no parent container).
   */
  async createContainer(
    path: string,
    options: { name?: string; agent: { name: string; address?: string }; message?: string },
  ): Promise<CommitResult> {
    const clean = assertSafeRelativePath(path, 'repository path');
    return this.locked(clean, async () => {
      const kind = await this.kindOf(clean);
      if (kind === 'tombstone') throw gone(clean);
      if (kind !== 'absent')
        throw new ConflictError(`${quoteForMessage(clean)} already exists`, { key: clean });
      await this.assertCreatable(clean);
      return this.commit(
        clean,
        {
          txId: newTxId(),
          objectId: fedoraIdOf(clean),
          parentId: parentIdOf(clean),
          rootKind: 'Container',
          rootName: options.name ?? lastSegment(clean),
          changes: [],
          agent: options.agent,
          message: options.message ?? 'Create container',
          expectedHead: null,
        },
        [],
        {},
      );
    });
  }

  /**
   * Delete the standalone container at `path`, leaving a tombstone (a new version whose root
   * header says `deleted`). Throws NotFoundError, GoneError (already deleted), ConflictError
   * (an Archival Group, or not empty).
   */
  async deleteContainer(
    path: string,
    options: { agent: { name: string; address?: string } },
  ): Promise<CommitResult> {
    const clean = assertSafeRelativePath(path, 'repository path');
    return this.locked(clean, async () => {
      const kind = await this.kindOf(clean);
      if (kind === 'absent') throw new NotFoundError(`nothing at ${quoteForMessage(clean)}`, { key: clean });
      if (kind === 'tombstone') throw gone(clean);
      if (kind === 'ArchivalGroup')
        throw new ConflictError(`${quoteForMessage(clean)} is an Archival Group`, { key: clean });
      const children = await this.childrenOf(clean);
      if (children.length > 0) {
        throw new ConflictError(
          `container ${quoteForMessage(clean)} is not empty (${children.length} child object(s))`,
          { key: clean },
        );
      }
      return this.commit(
        clean,
        {
          txId: newTxId(),
          objectId: fedoraIdOf(clean),
          parentId: parentIdOf(clean),
          rootKind: 'Container',
          changes: [{ op: 'delete', path: '' }],
          agent: options.agent,
          message: 'Delete container',
        },
        [],
        {},
      );
    });
  }

  /**
   * Delete the Archival Group at `path` whole: one new version in which every live container
   * and binary and the group itself become tombstones (so the path answers 410 until purged,
   * and its history stays readable). Resolves with the commit (its `version` is the tombstone
   * version). Throws NotFoundError, GoneError (already deleted), ConflictError (not a group, or
   * another writer committed meanwhile).
   */
  async deleteArchivalGroup(
    path: string,
    options: { agent: { name: string; address?: string }; message?: string },
  ): Promise<CommitResult> {
    const clean = assertSafeRelativePath(path, 'repository path');
    return this.locked(clean, async () => {
      const kind = await this.kindOf(clean);
      if (kind === 'absent') throw new NotFoundError(`nothing at ${quoteForMessage(clean)}`, { key: clean });
      if (kind === 'tombstone') throw gone(clean);
      if (kind !== 'ArchivalGroup')
        throw new ConflictError(`${quoteForMessage(clean)} is a Container, not an Archival Group`, {
          key: clean,
        });
      const base = await readBase(this.store, this.objectKeyOf(clean), fedoraIdOf(clean), this.#bases);
      const head = base.inventory!.head;
      const tree = ObjectTree.fromState(base.inventory!.versions[head]?.state);
      const changes: ObjectChange[] = [];
      for (const [p, entry] of tree.entries)
        if (p !== '' && entry.kind !== 'tombstone') changes.push({ op: 'delete', path: p });
      changes.push({ op: 'delete', path: '' });
      return this.commit(
        clean,
        {
          txId: newTxId(),
          objectId: fedoraIdOf(clean),
          parentId: parentIdOf(clean),
          rootKind: 'ArchivalGroup',
          changes,
          agent: options.agent,
          message: options.message ?? 'Delete archival group',
          expectedHead: head,
        },
        [],
        {},
      );
    });
  }

  /**
   * Remove the standalone container (or its tombstone) at `path` completely: the path is free
   * again. The next version is claimed first (a claim marked `purge`), so no writer commits to
   * the object meanwhile; then the declaration and the root inventory go (readers see no object
   * from then on),
   * then everything else, the claim last. A crash part-way leaves the claim, and recovery
   * finishes the purge once its lease has run out. Throws NotFoundError, ConflictError (an
   * Archival Group, live children, or a writer at work on it).
   */
  async purge(path: string): Promise<void> {
    const clean = assertSafeRelativePath(path, 'repository path');
    await this.locked(clean, async () => {
      const kind = await this.kindOf(clean);
      if (kind === 'absent') throw new NotFoundError(`nothing at ${quoteForMessage(clean)}`, { key: clean });
      if (kind === 'ArchivalGroup')
        throw new ConflictError(`${quoteForMessage(clean)} is an Archival Group`, { key: clean });
      if (kind === 'Container' && (await this.childrenOf(clean)).length > 0) {
        throw new ConflictError(`container ${quoteForMessage(clean)} is not empty`, { key: clean });
      }
      await purgeObject(this.store, this.objectKeyOf(clean), fedoraIdOf(clean), {
        ...(this.options.leaseMs !== undefined && { leaseMs: this.options.leaseMs }),
      });
      this.root.invalidate();
    });
  }

  /**
   * Find and clean what crashed writers left (see recover.ts): in the whole storage root, or
   * only in the object at `options.path`. Every commit already does this for its own object
   * first; this is for the rest (and for `strongroom recover`). Resolves with the report (in a
   * dry run, what would be done). Throws the store's errors for the walk itself.
   */
  async recover(options: WriterRecoverOptions = {}): Promise<RecoveryReport> {
    const { path, ...rest } = options;
    const recoverOptions = {
      ...(this.options.leaseMs !== undefined && { leaseMs: this.options.leaseMs }),
      ...rest,
    };
    try {
      if (path === undefined) return await recoverStorageRoot(this.store, this.root, recoverOptions);
      const clean = assertSafeRelativePath(path, 'repository path');
      const key = this.objectKeyOf(clean);
      const findings = await this.locked(clean, () =>
        recoverObject(this.store, key, { ...recoverOptions, objectId: fedoraIdOf(clean), trustKey: true }),
      );
      return {
        location: `${this.store.uri}/${key}`,
        dryRun: options.dryRun ?? false,
        objectsChecked: 1,
        findings,
        errors: [],
      };
    } finally {
      this.root.invalidate();
    }
  }

  /** Repository paths of the live objects directly below `path` (a scan of the storage root). */
  async childrenOf(path: string): Promise<string[]> {
    const prefix = `${fedoraIdOf(path)}/`;
    const out: string[] = [];
    for await (const ref of this.root.listObjects()) {
      if (ref.id?.startsWith(prefix) && !ref.id.slice(prefix.length).includes('/')) {
        const child = ref.id.slice('info:fedora/'.length);
        if ((await this.kindOf(child)) !== 'tombstone') out.push(child);
      }
    }
    return out;
  }

  /**
   * Check that a new object may be created at `path`: no Archival Group above it, and its parent a
   * Container. Throws ConflictError (inside a group), GoneError (a tombstoned parent),
   * NotFoundError (no parent container).
   */
  async assertCreatable(path: string): Promise<void> {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const ancestor = parts.slice(0, i).join('/');
      const kind = await this.kindOf(ancestor);
      if (kind === 'ArchivalGroup') {
        throw new ConflictError(
          `${quoteForMessage(path)} would be inside the Archival Group ${quoteForMessage(ancestor)}`,
          { key: path },
        );
      }
      if (i === parts.length - 1 && kind !== 'Container') {
        throw kind === 'tombstone'
          ? gone(ancestor)
          : new NotFoundError(`parent container ${quoteForMessage(ancestor)} does not exist`, { key: path });
      }
    }
  }

  private async commit(
    path: string,
    request: CommitRequest,
    sources: readonly string[],
    options: CommitOptions,
  ): Promise<CommitResult> {
    const objectKey = this.objectKeyOf(path);
    const ctx: CommitContext = {
      store: this.store,
      objectKey,
      sources: sourceRoots(
        sources,
        this.options.sourceStore ?? (this.options.store?.s3 ? { s3: this.options.store.s3 } : {}),
      ),
      digestAlgorithm: this.options.digestAlgorithm ?? 'sha512',
      mapper: this.options.mapper ?? (this.store.kind === 's3' ? 'cloud' : 'linux'),
      ...(this.options.concurrency !== undefined && { concurrency: this.options.concurrency }),
      ...(this.options.leaseMs !== undefined && { leaseMs: this.options.leaseMs }),
      ...(this.options.checkpointBytes !== undefined && { checkpointBytes: this.options.checkpointBytes }),
      baseCache: this.#bases,
      ...(this.options.pool && { pool: this.options.pool }),
      ...(options.onProgress && { onProgress: options.onProgress }),
      ...(options.onStep && { onStep: options.onStep }),
      ...(options.signal && { signal: options.signal }),
    };
    const result = await commitVersion(request, ctx);
    this.root.noteObject(request.objectId, this.root.objectRootFor(request.objectId));
    return result;
  }

  /** Run `work` after every earlier call for the same path in this process has settled. */
  private async locked<T>(path: string, work: () => Promise<T>): Promise<T> {
    const before = this.#locks.get(path) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => {});
    this.#locks.set(path, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(path) === tail) this.#locks.delete(path);
    }
  }
}

function gone(path: string): GoneError {
  return new GoneError(`${quoteForMessage(path)} was deleted (a tombstone); purge it first`, { key: path });
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
