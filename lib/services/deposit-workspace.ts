/**
 * Working on a deposit between "I have files" and "they are preserved" (spec "Working with
 * Deposit files and folders", "Modifying the METS file", "Locking a Deposit"): the filesystem
 * view, METS editing for the platform's METS, and locks. The routes call one method each.
 *
 * Locks (DECISIONS): a lock marks a deposit; while another agent holds it, METS edits fail with
 * LockedError (409) here, as PATCH, DELETE and import jobs do in the records.
 *
 * METS edits are serialised per deposit in this process (the filesystem's conditional replace is
 * a compare-then-rename) and conditional on the METS ETag the caller names: the store checks it
 * again as it writes (atomically on S3), so an edit made meanwhile elsewhere is never overwritten.
 * The METS is written before any file is deleted, so a refused write changes nothing.
 */
import { ConflictError, InvalidInputError, LockedError, NotFoundError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import type { MetsDocument } from '../formats/mets/document.js';
import { HEADER_DATES_SCAN_BYTES, metsHeaderDates } from '../formats/mets/header-dates.js';
import { metsChunks } from '../formats/mets/writer.js';
import type { DepositRecord } from '../records/model.js';
import type { RecordStore } from '../records/port.js';
import { type OpenStoreOptions, openStore } from '../storage/location.js';
import type { ReadableStore } from '../storage/port.js';
import { deleteDepositEntries, replaceDepositFile } from '../txn/deposit-files.js';
import { type FilesystemView, filesystemView } from './deposit-filesystem.js';
import { DepositSourceCache } from './deposit-source-cache.js';
import { type DepositSources, readDepositSources } from './deposit-sources.js';
import { metsCacheTag } from './deposit-tags.js';
import { type AddPlan, type DeletePlan, planAddToMets, planDelete } from './mets-editing.js';
import { checkEditPaths, checkSelection, type SelectedItem } from './mets-selection.js';
import { type MetsTarget, metsTarget } from './mets-target.js';

/** What the workspace service works with. */
export interface DepositWorkspaceDeps {
  records: RecordStore;
  /** How to open deposit areas (S3 settings). */
  store?: OpenStoreOptions;
  /** Parsed sources and views kept between requests (default: a new cache per service). */
  cache?: DepositSourceCache;
  /** The time written as the METS LASTMODDATE (default: now). */
  clock?: () => Date;
  /** Store requests in flight per request (default 16). */
  concurrency?: number;
}

/** What a METS addition did. */
export type AddToMetsResult = Pick<AddPlan, 'items' | 'ignored'> & { metsETag: string | null };

/** What a delete selection did. */
export type DeleteItemsResult = Pick<DeletePlan, 'items'> & { metsETag: string | null };

/** A DeleteSelection as the API takes it. */
export interface DeleteSelection {
  deleteFromDepositFiles: boolean;
  deleteFromMets: boolean;
  items: SelectedItem[];
}

/** The service; see the module doc. */
export class DepositWorkspace {
  readonly cache: DepositSourceCache;
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(readonly deps: DepositWorkspaceDeps) {
    this.cache = deps.cache ?? new DepositSourceCache();
  }

  /**
   * The deposit's filesystem view; `refresh` drops what was cached first. Keeps the deposit's
   * `metsETag` in step with the METS file as found. Throws NotFoundError and the store's errors.
   */
  async filesystem(id: string, options: { refresh?: boolean } = {}): Promise<FilesystemView> {
    const deposit = await this.deposit(id);
    const sources = await this.sources(deposit, options.refresh ?? false);
    await this.syncMetsETag(deposit, sources.metsFile?.etag ?? null);
    return filesystemView(sources, { cache: this.cache, depositId: id });
  }

  /**
   * Add or update `paths` (deposit paths: files and folders) in the platform METS, with what the
   * other sources say about them; every folder on each path is added too. Throws
   * InvalidInputError (bad or unknown paths: 400), PreconditionRequiredError (no If-Match: 428),
   * PreconditionFailedError (stale ETag: 412), LockedError / ConflictError (409: locked by
   * someone else, no platform METS, an export still filling the deposit), NotFoundError.
   */
  async addToMets(
    id: string,
    paths: readonly unknown[],
    request: { ifMatch: string | undefined; agent: string },
  ): Promise<AddToMetsResult> {
    const wanted = checkEditPaths(paths);
    return this.serially(id, async () => {
      const deposit = await this.editable(id, request.agent);
      const { sources, target, created } = await this.prepare(deposit, request.ifMatch);
      const view = filesystemView(sources, { withoutMets: true });
      const plan = planAddToMets(sources, target, wanted, view, { created, now: this.now() });
      const metsETag = await this.writeMets(deposit, target, plan.doc, request.agent, sources);
      return { items: plan.items, ignored: plan.ignored, metsETag };
    });
  }

  /**
   * Delete a selection from the working area and/or the platform METS (children before
   * parents). Throws InvalidInputError (400: nothing to do, bad items, a folder with unselected
   * children, items that are not there), and as {@link addToMets}.
   */
  async deleteItems(
    id: string,
    selection: DeleteSelection,
    request: { ifMatch: string | undefined; agent: string },
  ): Promise<DeleteItemsResult> {
    const items = checkSelection(selection.items);
    const flags = { fromDeposit: selection.deleteFromDepositFiles, fromMets: selection.deleteFromMets };
    if (!flags.fromDeposit && !flags.fromMets)
      throw new InvalidInputError('choose deleteFromDepositFiles and/or deleteFromMets: nothing to delete');
    return this.serially(id, async () => {
      const deposit = await this.editable(id, request.agent);
      const { sources, target, created } = await this.prepare(deposit, request.ifMatch);
      const plan = planDelete(sources, target, items, flags, { created, now: this.now() });
      const metsETag =
        plan.doc === null
          ? target.etag
          : await this.writeMets(deposit, target, plan.doc, request.agent, sources);
      if (plan.files.length > 0 || plan.folders.length > 0) {
        await deleteDepositEntries(
          deposit.files,
          { files: plan.files, folders: plan.folders },
          this.deps.store ? { store: this.deps.store } : {},
        );
      }
      return { items: plan.items, metsETag };
    });
  }

  /**
   * Lock the deposit for `agent` (renewing its own lock); `force` takes it from another holder.
   * Throws LockedError (409) when another agent holds it and `force` is not set, NotFoundError.
   */
  lock(id: string, agent: string, options: { force?: boolean } = {}): Promise<DepositRecord> {
    return this.deps.records.deposits.lock(id, agent, options);
  }

  /** Remove any lock (idempotent). Throws NotFoundError. */
  unlock(id: string): Promise<DepositRecord> {
    return this.deps.records.deposits.unlock(id);
  }

  private async deposit(id: string): Promise<DepositRecord> {
    const found = await this.deps.records.deposits.get(id);
    if (!found) throw new NotFoundError(`no deposit ${quoteForMessage(id, 80)}`, { key: id });
    return found;
  }

  /** The deposit, if `agent` may edit it now. */
  private async editable(id: string, agent: string): Promise<DepositRecord> {
    const deposit = await this.deposit(id);
    if (deposit.lockedBy !== null && deposit.lockedBy !== agent)
      throw new LockedError(`deposit ${id} is locked by ${quoteForMessage(deposit.lockedBy, 80)}`, {
        key: id,
      });
    if (deposit.status === 'exporting')
      throw new ConflictError(`deposit ${id} is still being filled by its export`, { key: id });
    return deposit;
  }

  private async openArea(deposit: DepositRecord): Promise<ReadableStore> {
    return openStore(deposit.files.replace(/\/+$/, ''), this.deps.store ?? {});
  }

  private async sources(
    deposit: DepositRecord,
    refresh: boolean,
    store?: ReadableStore,
  ): Promise<DepositSources> {
    return readDepositSources(store ?? (await this.openArea(deposit)), deposit, {
      cache: this.cache,
      refresh,
      ...(this.deps.concurrency !== undefined && { concurrency: this.deps.concurrency }),
    });
  }

  private async prepare(
    deposit: DepositRecord,
    ifMatch: string | undefined,
  ): Promise<{ store: ReadableStore; sources: DepositSources; target: MetsTarget; created: string | null }> {
    const store = await this.openArea(deposit);
    const sources = await this.sources(deposit, false, store);
    const target = metsTarget(sources, ifMatch);
    const head: Buffer[] = [];
    for await (const c of await store.read(target.key, { start: 0, end: HEADER_DATES_SCAN_BYTES - 1 }))
      head.push(c as Buffer);
    return { store, sources, target, created: metsHeaderDates(Buffer.concat(head).toString('utf8')).created };
  }

  /**
   * Write the METS conditionally, record its new ETag on the deposit, and keep its model in the
   * cache under the new etag: a fully populated 100,000-file METS is hundreds of megabytes, and
   * the next request would otherwise parse back what was just written. Serialised into a Buffer,
   * never one string (V8 caps strings at about 512 MB), and sent in one conditional PUT.
   */
  private async writeMets(
    deposit: DepositRecord,
    target: MetsTarget,
    doc: MetsDocument,
    agent: string,
    sources: DepositSources,
  ): Promise<string | null> {
    const body = Buffer.concat(Array.from(metsChunks(doc), (chunk) => Buffer.from(chunk, 'utf8')));
    const { etag } = await replaceDepositFile(deposit.files, target.key, body, {
      ifMatch: target.etag,
      contentType: 'application/xml',
      ...(this.deps.store && { store: this.deps.store }),
    });
    if (etag !== null) {
      const tag = metsCacheTag(target.key, `${body.length}:${etag}`);
      this.cache.set(
        deposit.id,
        'mets',
        tag,
        { stub: false, model: doc.toModel() },
        sources.listing.files.length,
      );
    }
    // Not conditional on the lock: the METS is written, and the record must say so.
    await this.deps.records.deposits.update(deposit.id, { metsETag: etag }, { by: agent });
    return etag;
  }

  private async syncMetsETag(deposit: DepositRecord, etag: string | null): Promise<void> {
    if (etag === null || etag === deposit.metsETag) return;
    await this.deps.records.deposits.update(deposit.id, { metsETag: etag });
  }

  private now(): string {
    return (this.deps.clock?.() ?? new Date()).toISOString();
  }

  /** Run `fn` after every earlier edit of deposit `key` in this process has finished. */
  private serially<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.running.get(key) ?? Promise.resolve();
    const mine = before.then(fn, fn);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.running.set(key, settled);
    void settled.then(() => {
      if (this.running.get(key) === settled) this.running.delete(key);
    });
    return mine;
  }
}
