/**
 * What the copy strategies share: one planned copy with its resolved source and target key, the
 * progress counter, and the errors a failed verification raises.
 */
import { FixityMismatchError, InvalidInputError, UnprocessableError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import type { CopiedContent, PlannedCopy } from '../core/plan/version-plan.js';
import type { WritableStore } from '../storage/port.js';
import type { CopyCheckpoints } from './checkpoint.js';
import type { ResolvedSource } from './sources.js';

/** Progress of the content step: files and bytes copied of the totals. */
export interface CopyProgress {
  filesDone: number;
  filesTotal: number;
  /** Bytes copied, including those of files still in flight (large files report as they go). */
  bytesDone: number;
  /** Sum of the declared sizes (0 when none are known). */
  bytesTotal: number;
}

/** One copy to make: the plan's entry, its source, and the target's store key. */
export interface CopyJob {
  copy: PlannedCopy;
  source: ResolvedSource;
  /** Store key of the target (object key + content path). */
  target: string;
}

/** Settings every strategy gets. */
export interface CopyEnv {
  store: WritableStore;
  /** Inventory digest algorithm. */
  algorithm: 'sha512' | 'sha256';
  concurrency: number;
  progress: ProgressTracker;
  checkpoints?: CopyCheckpoints;
  signal?: AbortSignal;
}

/** Digest algorithms a copy computes: the inventory's and SHA-256 (the expected digest). */
export function algorithmsFor(algorithm: 'sha512' | 'sha256'): string[] {
  return algorithm === 'sha256' ? ['sha256'] : [algorithm, 'sha256'];
}

/** The error for a copy whose SHA-256 is not the expected one. */
export function fixityError(copy: PlannedCopy, actual: string): FixityMismatchError {
  return new FixityMismatchError(
    `SHA-256 of ${quoteForMessage(copy.source)} differs from the expected digest`,
    copy.sha256,
    actual,
    { operation: 'copy', key: copy.source },
  );
}

/** The error for a source that is an export stub: a placeholder, never content. */
export function stubError(copy: PlannedCopy): UnprocessableError {
  const message = `${quoteForMessage(copy.source)} is an export stub (a placeholder written by a stub export), not content: it cannot be stored`;
  return new UnprocessableError(message, [{ path: copy.source, message: 'an export stub, not content' }], {
    operation: 'copy',
    key: copy.source,
  });
}

/** The error for a copy whose size is not the declared one. */
export function sizeError(copy: PlannedCopy, size: number): InvalidInputError {
  return new InvalidInputError(
    `${quoteForMessage(copy.source)} is ${size} bytes, not the ${copy.size} declared`,
    {
      operation: 'copy',
      key: copy.source,
    },
  );
}

/**
 * Check a finished copy's SHA-256 and size; returns its inventory digest. Throws
 * FixityMismatchError, InvalidInputError (the caller removes what it wrote).
 */
export function verified(
  copy: PlannedCopy,
  size: number,
  digests: Record<string, string | undefined>,
  algorithm: 'sha512' | 'sha256',
): CopiedContent {
  if (digests.sha256 !== copy.sha256) throw fixityError(copy, digests.sha256 ?? '');
  if (copy.size !== undefined && copy.size !== size) throw sizeError(copy, size);
  return { digest: digests[algorithm]!, size };
}

/** Bytes of one file in flight. */
export interface InFlight {
  bytes: number;
}

/** Counts finished files and bytes, plus the bytes of files in flight, and reports them. */
export class ProgressTracker {
  #filesDone = 0;
  #bytesDone = 0;
  readonly #live = new Set<InFlight>();

  constructor(
    readonly filesTotal: number,
    readonly bytesTotal: number,
    private readonly report?: (p: CopyProgress) => void,
  ) {}

  /** Report the current counts. */
  emit(): void {
    if (!this.report) return;
    let bytes = this.#bytesDone;
    for (const f of this.#live) bytes += f.bytes;
    this.report({
      filesDone: this.#filesDone,
      filesTotal: this.filesTotal,
      bytesDone: bytes,
      bytesTotal: this.bytesTotal,
    });
  }

  /** A file starts: its bytes count as they are set on the handle (call {@link emit} to report). */
  start(): InFlight {
    const f = { bytes: 0 };
    this.#live.add(f);
    return f;
  }

  /** Files finished (with `bytes` in all); `handle`, when given, stops counting as in flight. */
  finish(files: number, bytes: number, handle?: InFlight): void {
    if (handle) this.#live.delete(handle);
    this.#filesDone += files;
    this.#bytesDone += bytes;
    this.emit();
  }
}
