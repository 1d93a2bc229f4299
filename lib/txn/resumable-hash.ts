/**
 * A running digest whose state can be saved and loaded in another process: what lets a copy of
 * tens of GB resume from a checkpoint instead of hashing from zero. node:crypto cannot export a
 * hash state, so this uses hash-wasm's `save()` / `load()` (116 bytes for SHA-256, 212 for
 * SHA-512). hash-wasm has no SHA-NI: measured here 0.16–0.33 GB/s for SHA-256 against
 * node:crypto's 1.5–1.8 GB/s (PERF-NOTES §1; bench/txn/README.md), so only copies large enough to
 * checkpoint pay for it (CopyContext.checkpointBytes), and those are multipart uploads whose
 * network transfer usually is the slower side.
 */
import type { IHasher } from 'hash-wasm';
import { UnsupportedError } from '../core/errors.js';

/** A saved state: the byte offset reached and each algorithm's hash-wasm state (base64). */
export interface SavedHashState {
  offset: number;
  states: Record<string, string>;
}

async function hasherFor(algorithm: string): Promise<IHasher> {
  const wasm = await import('hash-wasm');
  if (algorithm === 'sha256') return wasm.createSHA256();
  if (algorithm === 'sha512') return wasm.createSHA512();
  throw new UnsupportedError(`no resumable hasher for ${algorithm}`, { operation: 'copy' });
}

/** SHA-256 / SHA-512 over a byte sequence, resumable at any offset. */
export class ResumableHash {
  #offset: number;

  private constructor(
    private readonly hashers: Map<string, IHasher>,
    offset: number,
  ) {
    this.#offset = offset;
  }

  /** Fresh hashers for `algorithms`, or the state `saved` when given. Throws UnsupportedError. */
  static async create(algorithms: readonly string[], saved?: SavedHashState): Promise<ResumableHash> {
    const hashers = new Map<string, IHasher>();
    for (const name of new Set(algorithms)) {
      const h = await hasherFor(name);
      h.init();
      const state = saved?.states[name];
      if (saved && state === undefined) {
        throw new UnsupportedError(`the saved hash state has no ${name}`, { operation: 'copy' });
      }
      if (state !== undefined) h.load(Buffer.from(state, 'base64'));
      hashers.set(name, h);
    }
    return new ResumableHash(hashers, saved?.offset ?? 0);
  }

  /** Bytes hashed so far. */
  get offset(): number {
    return this.#offset;
  }

  update(bytes: Uint8Array): void {
    for (const h of this.hashers.values()) h.update(bytes);
    this.#offset += bytes.byteLength;
  }

  /** The state now, to store in a checkpoint. */
  save(): SavedHashState {
    const states: Record<string, string> = {};
    for (const [name, h] of this.hashers) states[name] = Buffer.from(h.save()).toString('base64');
    return { offset: this.#offset, states };
  }

  /** Finish: algorithm → lowercase hex. */
  digest(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, h] of this.hashers) out[name] = h.digest('hex');
    return out;
  }
}
