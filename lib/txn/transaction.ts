/**
 * A transaction on one Archival Group: changes are recorded (`createContainer`, `putBinary`,
 * `rename`, `delete`), then `commit()` writes them as one new OCFL version, or `rollback()`
 * drops them. Nothing is written before `commit()`, so a rollback before it has nothing to undo;
 * a failed commit undoes its own writes. The shape matches Fedora 6's HTTP transactions
 * (`POST fcr:tx`, requests carrying `Atomic-ID`, `PUT fcr:tx/<id>`), so a Fedora-backed
 * implementation can sit behind the same interface later.
 */
import { InvalidInputError } from '../core/errors.js';
import type { ObjectChange } from '../core/plan/changes.js';
import type { CommitProgress, CommitResult, CommitStep } from './commit.js';

/** A binary to add or patch. */
export interface PutBinaryOptions {
  /** Location URI of the bytes (`file:///…`, `s3://bucket/key`), inside the transaction's source roots. */
  source: string;
  /** Expected lowercase hex SHA-256 (verified before the version commits). */
  digest: string;
  size?: number;
  contentType?: string;
  /** Original name (any UTF-8); default the last path element. */
  name?: string;
  /** `absent`: this must be an add; `present`: a patch. Default: either. */
  expect?: 'absent' | 'present';
}

/** Options of {@link Transaction.commit}. */
export interface CommitOptions {
  /** Called as the commit goes through its steps (copy counts during `content`). */
  onProgress?: (progress: CommitProgress) => void;
  /** Test hook awaited before each commit step (see `CommitContext.onStep`); not for production. */
  onStep?: (step: CommitStep) => void | Promise<void>;
  signal?: AbortSignal;
}

/** What a transaction runs on commit (the writer provides it). */
export type CommitRunner = (
  changes: readonly ObjectChange[],
  options: CommitOptions,
) => Promise<CommitResult>;

/** One transaction; create with `RepositoryWriter.begin`. */
export class Transaction {
  readonly #changes: ObjectChange[] = [];
  #state: 'open' | 'committing' | 'committed' | 'rolled-back' | 'failed' = 'open';

  constructor(
    /** Repository path of the Archival Group. */
    readonly path: string,
    /** Transaction id (a retry with the same id may take back its own claim). */
    readonly id: string,
    private readonly run: CommitRunner,
  ) {}

  /** The changes recorded so far, in order. */
  get changes(): readonly ObjectChange[] {
    return this.#changes;
  }

  /** `open` until commit or rollback. */
  get state(): string {
    return this.#state;
  }

  /** Create a container (folder) at `path` (relative to the group). */
  createContainer(path: string, options: { name?: string } = {}): this {
    return this.add({
      op: 'createContainer',
      path,
      ...(options.name !== undefined && { name: options.name }),
    });
  }

  /** Add the binary at `path`, or replace it when one is there. */
  putBinary(path: string, options: PutBinaryOptions): this {
    return this.add({
      op: 'putBinary',
      path,
      source: options.source,
      sha256: String(options.digest).toLowerCase(),
      ...(options.size !== undefined && { size: options.size }),
      ...(options.contentType !== undefined && { contentType: options.contentType }),
      ...(options.name !== undefined && { name: options.name }),
      ...(options.expect !== undefined && { expect: options.expect }),
    });
  }

  /** Change the stored name of the resource at `path` (`''`: the group itself). */
  rename(path: string, newName: string): this {
    return this.add({ op: 'rename', path, name: newName });
  }

  /** Delete the resource at `path` (a container only when empty, or emptied in this transaction). */
  delete(path: string): this {
    return this.add({ op: 'delete', path });
  }

  /**
   * Write the changes as one new version. Throws ConflictError, UnprocessableError,
   * FixityMismatchError, InvalidInputError and storage errors (see `commitVersion`); after a
   * failure the group is exactly at its previous version (unless the store failed at the commit
   * point itself in a way that cannot be read back: then recovery settles it) and the transaction
   * cannot be reused. A result with `pending` committed, but some file after the commit point
   * still has to be written (the next transaction does it).
   */
  async commit(options: CommitOptions = {}): Promise<CommitResult> {
    this.assertOpen();
    if (this.#changes.length === 0) {
      throw new InvalidInputError('nothing to commit: the transaction has no changes', { key: this.path });
    }
    this.#state = 'committing';
    try {
      const result = await this.run(this.#changes, options);
      this.#state = 'committed';
      return result;
    } catch (err) {
      this.#state = 'failed';
      throw err;
    }
  }

  /** Drop the recorded changes. Nothing was written, so nothing is undone. */
  async rollback(): Promise<void> {
    this.assertOpen();
    this.#changes.length = 0;
    this.#state = 'rolled-back';
  }

  private add(change: ObjectChange): this {
    this.assertOpen();
    this.#changes.push(change);
    return this;
  }

  private assertOpen(): void {
    if (this.#state !== 'open') {
      throw new InvalidInputError(`transaction ${this.id} is ${this.#state}`, { key: this.path });
    }
  }
}
