/**
 * The capabilities descriptor: what a writable store guarantees for each step a crash-safe commit
 * is built from. The transaction module reads it to decide which steps it may rely on (its commit
 * order: claim the version with a conditional create → content → version inventory → root
 * inventory last with a conditional replace) and where it needs its own lock or checks.
 *
 * Each capability names one operation and its exact guarantee; the storage contract has one
 * case per capability that proves an `atomic` claim with racing callers and checks the documented
 * fallback otherwise. Which backend offers what is tabulated in docs/storage.md.
 */

/**
 * How far a store honours one conditional or multi-step operation:
 * - `atomic`: decided at a single point by the kernel or the server. Of concurrent callers, only
 *   those the condition allows succeed (e.g. exactly one of many creators of a key); the others
 *   get the documented error, and no reader ever sees an intermediate state.
 * - `emulated`: the same outcome for one caller at a time, but checked and done in separate
 *   steps: concurrent callers may all pass the check (the last one wins), and a crash between the
 *   steps can leave the intermediate state named by the capability. Safe only under an outside
 *   single-writer guarantee (the transaction module's object lock).
 * - `unsupported`: asking for it throws UnsupportedError and changes nothing.
 */
export type Guarantee = 'atomic' | 'emulated' | 'unsupported';

/**
 * When stored bytes survive a crash of the machine:
 * - `on-write`: as soon as the write, copy, rename or delete resolves (S3; the filesystem store
 *   opened with `durable: true`, which fsyncs every file and directory it touches);
 * - `after-sync`: only after `sync(keys)` has resolved for them (the filesystem store: one bulk
 *   flush after many files is ≈10× cheaper than an fsync per file, PERF-NOTES §5);
 * - `none`: never (memory).
 */
export type SyncDurability = 'on-write' | 'after-sync' | 'none';

/** What a store guarantees; see the module doc and {@link Guarantee}. */
export interface StoreCapabilities {
  /**
   * `write(key, body, { ifNoneMatch: true })` stores the body only when nothing is at `key`, else
   * throws AlreadyExistsError and leaves the key as it was. Atomic: of concurrent conditional
   * creators of one key exactly one wins (the commit point of a new version). Holds for bodies
   * within {@link atomicWriteMaxBytes}.
   */
  conditionalCreate: Guarantee;
  /**
   * `write(key, body, { ifMatch: etag })` replaces the object only while its etag is `etag`,
   * else (another etag, or no object) throws PreconditionFailedError and leaves it. Atomic: of
   * concurrent replacers holding the same etag exactly one wins (the root inventory's commit).
   * Emulated: the etag is compared just before the replacement, so two racing replacers can both
   * succeed. Holds for bodies within {@link atomicWriteMaxBytes}.
   */
  conditionalReplace: Guarantee;
  /**
   * `delete(key, { ifMatch: etag })` deletes only while the etag is `etag`, else (another etag,
   * or no object) throws PreconditionFailedError and keeps the object. Atomic: it cannot delete a
   * version written after the check (a racing conditional replace and delete of one etag: exactly
   * one succeeds). Emulated: stat, compare, then delete.
   */
  conditionalDelete: Guarantee;
  /**
   * `copy(from, to, { ifNoneMatch: true })` copies only when nothing is at `to`, else throws
   * AlreadyExistsError and leaves `to`. Atomic: of concurrent copies to one absent key exactly
   * one wins. Emulated: the destination is checked first, so a racing writer can be overwritten.
   */
  copyIfAbsent: Guarantee;
  /**
   * `rename(from, to)` moves an object. Atomic: `to` appears complete and `from` disappears in
   * one step, and of concurrent renames of one source exactly one succeeds (the others get
   * NotFoundError); with `ifNoneMatch` the destination is claimed as by a conditional create.
   * Emulated: a copy (conditional per {@link copyIfAbsent}) then a delete of the source: a crash
   * in between leaves both keys, and racing renames of one source can all copy it.
   */
  rename: Guarantee;
  /** When written data is durable; see {@link SyncDurability}. */
  durability: SyncDurability;
  /**
   * True: the backend itself computes the SHA-256 of what it stores. A write carrying `sha256`
   * (within {@link atomicWriteMaxBytes}) is refused by the backend if the bytes differ, and
   * `stat()` of that object reports the digest. False: `stat()` never reports `sha256`; the
   * digest of a write is still checked on our side while sending (FixityMismatchError), but
   * nothing at rest vouches for it, so a reader must hash the bytes itself.
   */
  serverSideSha256: boolean;
  /**
   * Largest body sent in one request: Buffers and strings always are, streams when their
   * declared `size` is at most this. The conditional guarantees above and `serverSideSha256`
   * hold for such writes; a larger conditional stream is checked first and conditioned again at
   * completion, which some servers ignore: count it as `emulated`. `Infinity` where every write
   * is one step (filesystem, memory).
   */
  atomicWriteMaxBytes: number;
}

/** The memory store: one synchronous decision per mutation, nothing durable. */
export const MEMORY_CAPABILITIES: Readonly<StoreCapabilities> = Object.freeze({
  conditionalCreate: 'atomic',
  conditionalReplace: 'atomic',
  conditionalDelete: 'atomic',
  copyIfAbsent: 'atomic',
  rename: 'atomic',
  durability: 'none',
  serverSideSha256: true,
  atomicWriteMaxBytes: Number.POSITIVE_INFINITY,
});

/**
 * The filesystem store: `link(2)` makes creates atomic and `rename(2)` makes moves atomic;
 * comparing an etag and then renaming or unlinking is two steps (POSIX has no compare-and-swap
 * on a name). `durable` is the store's option (fsync everything it touches).
 */
export function fsCapabilities(durable: boolean): StoreCapabilities {
  return {
    conditionalCreate: 'atomic',
    conditionalReplace: 'emulated',
    conditionalDelete: 'emulated',
    copyIfAbsent: 'atomic',
    rename: 'atomic',
    durability: durable ? 'on-write' : 'after-sync',
    serverSideSha256: false,
    atomicWriteMaxBytes: Number.POSITIVE_INFINITY,
  };
}
