/**
 * The parent side of test/txn/commit-child.ts: start a writer process (`process.execPath`, no
 * test loaders), send it what to commit, read its messages, continue or SIGKILL it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildSpec } from './commit-child.js';

const SCRIPT = fileURLToPath(new URL('./commit-child.js', import.meta.url));

let spare: CommitChild | undefined;

function spawnChild(s3: boolean): ChildProcess {
  const args = s3 ? [SCRIPT, '--preload-s3'] : [SCRIPT];
  return spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}

/** One writer process. */
export class CommitChild {
  private readonly queue: ChildMessage[] = [];
  private waiting: ((m: ChildMessage) => void) | undefined;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';

  private constructor(
    private readonly proc: ChildProcess,
    /** Whether the child preloads the S3 backend. */
    readonly s3: boolean,
  ) {
    proc.on('message', (m: ChildMessage) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(m);
      } else this.queue.push(m);
    });
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Start a child and send it `spec`. One spare process is kept started ahead (node and the
   * library load while the parent checks the previous kill): {@link stopSpare} ends it.
   */
  static start(spec: ChildSpec): CommitChild {
    const s3 = spec.store.s3 !== undefined;
    const child = spare?.s3 === s3 ? spare : new CommitChild(spawnChild(s3), s3);
    if (spare && spare !== child) void spare.kill();
    spare = new CommitChild(spawnChild(s3), s3);
    child.proc.send(spec);
    return child;
  }

  /** End the spare process (call at the end of a test). */
  static async stopSpare(): Promise<void> {
    const s = spare;
    spare = undefined;
    await s?.kill();
  }

  /** The next message; rejects when the child exits first (with its stderr). */
  next(timeoutMs = 60_000): Promise<ChildMessage> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child sent nothing for ${timeoutMs} ms`)), timeoutMs);
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      void this.exited.then(({ code, signal }) => {
        if (this.waiting === undefined) return;
        clearTimeout(timer);
        reject(new Error(`child exited (${code ?? signal}) without a message: ${this.stderr.slice(-2000)}`));
      });
    });
  }

  /** Let a paused child go on. */
  continue(): void {
    this.proc.send('continue');
  }

  /** SIGKILL the child and wait until it is gone. */
  async kill(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
  }

  /** Wait for the child to exit by itself. */
  async exit(): Promise<void> {
    await this.exited;
  }
}
