/**
 * A writer in a process of its own, driven by a parent test over IPC (test/txn/child.ts): the
 * parent sends a {@link ChildSpec}; the child opens the repository, records the changes and
 * commits. With `pauseAt` it stops at that commit step (through the commit's `onStep` test hook)
 * or in the middle of a large copy (`mid-copy`: the copy's byte stream is held after
 * `midCopy.afterBytes`), tells the parent, and waits: to be SIGKILLed (crash harness) or told to
 * `continue` (two writers lined up to race). Then it reports `done` with the version, or
 * `failed` with the error code. Not a test file itself (no `.test.`).
 */
import { pipeline, Readable, Transform } from 'node:stream';
import type { OpenStoreOptions } from '../../lib/storage/location.js';
import type { WritableStore } from '../../lib/storage/port.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';

/** What the parent asks the child to commit. */
export interface ChildSpec {
  repo: string;
  store: OpenStoreOptions;
  leaseMs: number;
  /** Repository path of the Archival Group. */
  path: string;
  sourceVersion?: string | null;
  sources: string[];
  changes: Array<
    | { op: 'put'; path: string; source: string; digest: string; size?: number }
    | { op: 'delete'; path: string }
  >;
  /** A commit step name, or `mid-copy`. */
  pauseAt?: string;
  midCopy?: { keySuffix: string; afterBytes: number };
}

/** What the child tells the parent. */
export type ChildMessage =
  | { kind: 'paused'; at: string; bytes?: number }
  | { kind: 'done'; version: string }
  | { kind: 'failed'; code: string; message: string };

const send = (m: ChildMessage) => process.send?.(m);
// Load the S3 backend (and SDK) while waiting for the spec, when the parent says it will be needed.
if (process.argv.includes('--preload-s3')) void import('../../lib/storage/s3/s3-store.js');
let resume: (() => void) | undefined;

process.on('message', (m: unknown) => {
  if (m === 'continue') resume?.();
  else if (typeof m === 'object' && m !== null) void run(m as ChildSpec);
});

/** Tell the parent where we are, then wait for `continue` (or for the kill). */
function pause(at: string, bytes?: number): Promise<void> {
  send({ kind: 'paused', at, ...(bytes !== undefined && { bytes }) });
  return new Promise((r) => {
    resume = r;
  });
}

/** Hold the byte stream of the write whose key ends with `keySuffix` once `afterBytes` passed. */
function holdMidCopy(store: WritableStore, spec: NonNullable<ChildSpec['midCopy']>): void {
  // The streamed copy (cross-backend pairs) is the one that spends long in flight with part of a
  // file written; worker copies (fs → fs) and server copies (S3 → S3) are hidden here so that the
  // big file takes that path and the kill lands mid-stream.
  Object.assign(store, { localTargets: undefined, copyFrom: undefined });
  const write = store.write.bind(store);
  store.write = (key, body, options) => {
    if (!key.endsWith(spec.keySuffix) || !(body instanceof Readable)) return write(key, body, options);
    let seen = 0;
    let held = false;
    const gate = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        if (held || seen < spec.afterBytes) return done(null, chunk);
        held = true;
        this.push(chunk);
        void pause('mid-copy', seen).then(() => done());
      },
    });
    pipeline(body, gate, () => {});
    return write(key, gate, options);
  };
}

async function run(spec: ChildSpec): Promise<void> {
  try {
    const writer = await openRepositoryWriter(spec.repo, { store: spec.store, leaseMs: spec.leaseMs });
    if (spec.pauseAt === 'mid-copy' && spec.midCopy) holdMidCopy(writer.store, spec.midCopy);
    const tx = writer.begin(spec.path, {
      agent: { name: 'https://example.org/agents/child' },
      sources: spec.sources,
      ...(spec.sourceVersion !== undefined && { sourceVersion: spec.sourceVersion }),
    });
    for (const c of spec.changes) {
      if (c.op === 'delete') tx.delete(c.path);
      else
        tx.putBinary(c.path, {
          source: c.source,
          digest: c.digest,
          ...(c.size !== undefined && { size: c.size }),
        });
    }
    const result = await tx.commit({
      onStep: (step) => (step === spec.pauseAt ? pause(step) : undefined),
    });
    send({ kind: 'done', version: result.version });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    send({ kind: 'failed', code: e.code ?? 'INTERNAL', message: String(e.message ?? err).slice(0, 500) });
  }
  process.disconnect?.();
}
