/**
 * Streaming digesters for every OCFL digest algorithm name: the spec's table (`sha512`,
 * `sha256`, `sha1`, `md5`, `blake2b-512`) and extension 0009's additions (`blake2b-160`,
 * `blake2b-256`, `blake2b-384`, `sha512/256`, `size`).
 *
 * node:crypto (OpenSSL, SHA-NI on our machines) does every algorithm it has; it is 5× faster
 * than WebAssembly for SHA-256. OpenSSL 3 offers BLAKE2b only with a 512-bit output (its
 * `blake2b512` refuses other lengths), so the shorter BLAKE2b variants come from hash-wasm,
 * whose hashers are created asynchronously: hence {@link createDigester} returns a promise.
 * hash-wasm is imported only when such a variant is first asked for: parsing it costs ≈0.1 s,
 * paid by every worker thread at start-up otherwise.
 * `size` is the decimal byte count, without hashing.
 */
import { createHash, getHashes, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import type { IHasher } from 'hash-wasm';
import { InvalidInputError, IoError, UnsupportedError } from '../core/errors.js';

/** How one OCFL algorithm is computed: by node:crypto, by hash-wasm BLAKE2b, or by counting. */
type AlgorithmSpec = { node: string } | { blake2bBits: number } | { size: true };

const NODE_HASHES = new Set(getHashes());

/** node:crypto when this Node's OpenSSL has the digest, else hash-wasm (BLAKE2b) or nothing. */
function nodeOr(nodeName: string, blake2bBits?: number): AlgorithmSpec | undefined {
  if (NODE_HASHES.has(nodeName)) return { node: nodeName };
  return blake2bBits === undefined ? undefined : { blake2bBits };
}

const ALGORITHMS = new Map<string, AlgorithmSpec>();
for (const [name, spec] of [
  ['sha512', nodeOr('sha512')],
  ['sha256', nodeOr('sha256')],
  ['sha1', nodeOr('sha1')],
  ['md5', nodeOr('md5')],
  ['blake2b-512', nodeOr('blake2b512', 512)],
  ['sha512/256', nodeOr('sha512-256')],
  ['blake2b-160', { blake2bBits: 160 }],
  ['blake2b-256', { blake2bBits: 256 }],
  ['blake2b-384', { blake2bBits: 384 }],
  ['size', { size: true }],
] as const) {
  if (spec) ALGORITHMS.set(name, spec);
}

/** Every OCFL algorithm name this build computes, in a stable order (content algorithms first). */
export const SUPPORTED_ALGORITHMS: readonly string[] = [...ALGORITHMS.keys()];

/** True when `name` (an OCFL algorithm name, case-sensitive as in inventories) can be computed. */
export function isSupportedAlgorithm(name: string): boolean {
  return ALGORITHMS.has(name);
}

/** The first name in `algorithms` we cannot compute, or undefined when all are supported. */
export function firstUnsupported(algorithms: Iterable<string>): string | undefined {
  for (const name of algorithms) if (!ALGORITHMS.has(name)) return name;
  return undefined;
}

/** Throw UnsupportedError (operation `digest`, `key` when given) unless every name is supported. */
export function assertSupported(algorithms: Iterable<string>, key?: string): void {
  const bad = firstUnsupported(algorithms);
  if (bad === undefined) return;
  throw new UnsupportedError(`unsupported digest algorithm ${bad}`, {
    operation: 'digest',
    ...(key !== undefined && { key }),
  });
}

/**
 * Hashes one byte sequence with several algorithms at once. Feed it large chunks (≈1 MiB):
 * each `update` costs a call per algorithm. Not thread-safe; one per file at a time.
 */
export interface Digester {
  /** The OCFL names, without duplicates, in the order first given. */
  readonly algorithms: readonly string[];
  /** Bytes fed since creation or the last {@link Digester.reset}. */
  readonly size: number;
  /** Hash more bytes. Throws if called after {@link Digester.digest} without a reset. */
  update(bytes: Uint8Array): this;
  /** Finish: algorithm → lowercase hex (`size` → decimal byte count). Call once per input. */
  digest(): Record<string, string>;
  /** Start a new input, reusing the WebAssembly instances (cheaper than a new digester). */
  reset(): this;
}

type Part = { name: string; spec: AlgorithmSpec; node?: Hash; wasm?: IHasher };

class MultiDigester implements Digester {
  readonly algorithms: readonly string[];
  #parts: Part[];
  #size = 0;
  #finished = false;

  constructor(parts: Part[]) {
    this.#parts = parts;
    this.algorithms = parts.map((p) => p.name);
    this.reset();
  }

  get size(): number {
    return this.#size;
  }

  update(bytes: Uint8Array): this {
    if (this.#finished) throw new InvalidInputError('digester already finished; call reset() first');
    this.#size += bytes.byteLength;
    for (const p of this.#parts) {
      if (p.node) p.node.update(bytes);
      else if (p.wasm) p.wasm.update(bytes);
    }
    return this;
  }

  digest(): Record<string, string> {
    if (this.#finished) throw new InvalidInputError('digester already finished; call reset() first');
    this.#finished = true;
    const out: Record<string, string> = {};
    for (const p of this.#parts) {
      if (p.node) out[p.name] = p.node.digest('hex');
      else if (p.wasm) out[p.name] = p.wasm.digest('hex');
      else out[p.name] = String(this.#size);
    }
    return out;
  }

  reset(): this {
    for (const p of this.#parts) {
      if ('node' in p.spec) p.node = createHash(p.spec.node);
      else if (p.wasm) p.wasm.init();
    }
    this.#size = 0;
    this.#finished = false;
    return this;
  }
}

/**
 * A digester for `algorithms` (OCFL names; duplicates are ignored; `[]` only counts bytes).
 * Rejects with UnsupportedError for a name this build cannot compute.
 */
export async function createDigester(algorithms: readonly string[]): Promise<Digester> {
  assertSupported(algorithms);
  const parts: Part[] = [];
  for (const name of new Set(algorithms)) {
    const spec = ALGORITHMS.get(name)!;
    const part: Part = { name, spec };
    if ('blake2bBits' in spec) {
      const { createBLAKE2b } = await import('hash-wasm');
      part.wasm = await createBLAKE2b(spec.blake2bBits);
    }
    parts.push(part);
  }
  return new MultiDigester(parts);
}

/** Size and digests of one byte sequence. */
export interface DigestResult {
  size: number;
  /** Algorithm → lowercase hex (`size` → decimal byte count). */
  digests: Record<string, string>;
}

/**
 * A pass-through Transform that hashes and counts the bytes flowing through it, so a copy and
 * its fixity take one read. `result` resolves once the input has ended (rejects with the
 * digester's creation error, e.g. UnsupportedError); `size`/`digests` are then set too.
 * The constructor throws UnsupportedError at once for unknown algorithm names.
 */
export class DigestTransform extends Transform {
  /** Bytes seen so far. */
  size = 0;
  /** Set when the input has ended. */
  digests?: Record<string, string>;
  /** Resolves with size and digests at the end of the input. */
  readonly result: Promise<DigestResult>;
  #digester: Promise<Digester>;
  #settle!: { resolve: (r: DigestResult) => void; reject: (e: unknown) => void };

  /** @param algorithms OCFL names, or a digester to use (it is reset first). */
  constructor(algorithms: readonly string[] | Digester, options?: TransformOptions) {
    super(options);
    if (Array.isArray(algorithms)) assertSupported(algorithms);
    this.#digester = Array.isArray(algorithms)
      ? createDigester(algorithms)
      : Promise.resolve((algorithms as Digester).reset());
    this.result = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    this.result.catch(() => {}); // callers that only pipe need not observe it
  }

  /** @hidden stream internals */
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#digester.then(
      (d) => {
        d.update(chunk);
        this.size += chunk.byteLength;
        done(null, chunk);
      },
      (err) => done(err),
    );
  }

  /** @hidden stream internals */
  override _flush(done: TransformCallback): void {
    this.#digester.then(
      (d) => {
        this.digests = d.digest();
        this.#settle.resolve({ size: this.size, digests: this.digests });
        done();
      },
      (err) => {
        this.#settle.reject(err);
        done(err);
      },
    );
  }

  /** @hidden stream internals */
  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    this.#settle.reject(
      err ?? new IoError('the stream was destroyed before its end', { operation: 'digest' }),
    );
    done(err);
  }
}

/**
 * Read `readable` to its end and return its size and digests. Aborting `signal` destroys the
 * stream and rejects with the abort reason. Rejects with UnsupportedError before reading for
 * unknown names, and with the stream's own error (e.g. NotFoundError, IoError) otherwise.
 */
export async function digestStream(
  readable: Readable,
  algorithms: readonly string[],
  options: { signal?: AbortSignal } = {},
): Promise<DigestResult> {
  const { signal } = options;
  const digester = await createDigester(algorithms).catch((err) => {
    readable.destroy();
    throw err;
  });
  const onAbort = () => readable.destroy(signal!.reason as Error);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of readable) {
      digester.update(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return { size: digester.size, digests: digester.digest() };
}
