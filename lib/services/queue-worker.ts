/**
 * The loop both queue runners share (import/export jobs: job-runner.ts; pipeline runs:
 * pipeline-runner.ts): take one job at a time from the durable queue, sleep `pollMs` when there
 * is none (or until poked), keep a claimed job's lease alive while it runs, and on stop let the
 * running job finish for a grace period before aborting it. What a job does is the subclass's.
 */
import type { ClaimedJob, JobQueue } from '../records/queue/port.js';

/** Options every queue runner takes. */
export interface QueueWorkerOptions {
  queue: JobQueue;
  /** This worker's id in the queue's claims (default `<kind>-<pid>`). */
  workerId?: string;
  /** Lease of a claimed job, renewed every third of it while the job runs (default 60 s). */
  leaseMs?: number;
  /** Idle wait between empty claims (default 500 ms; {@link QueueWorker.poke} cuts it short). */
  pollMs?: number;
  /** Where the runner reports (default: nowhere). */
  log?: (level: 'info' | 'warn' | 'error', fields: object, message: string) => void;
}

/** A renewal in progress (see {@link QueueWorker.keepLease}). */
export interface LeaseKeeper {
  /** Stop renewing. */
  stop(): void;
}

/** A loop over one or more queues; subclasses say how to run a claimed job. */
export abstract class QueueWorker {
  #stopping = false;
  #loop?: Promise<void>;
  #current?: AbortController;
  #wake?: () => void;

  /**
   * @param options the queue and timings
   * @param kind names the worker in default ids and logs (`runner`, `pipeline`)
   * @param queues the queue names to claim from, in order of priority
   */
  constructor(
    private readonly options: QueueWorkerOptions,
    private readonly kind: string,
    private readonly queues: readonly string[],
  ) {}

  /** This worker's id in the queue's claims. */
  protected get workerId(): string {
    return this.options.workerId ?? `${this.kind}-${process.pid}`;
  }

  /** The lease taken on each claimed job. */
  protected get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  /** Run one claimed job of `queue`; `signal` aborts when the worker stops past its grace. */
  protected abstract runClaimed(queue: string, claimed: ClaimedJob, signal: AbortSignal): Promise<void>;

  /** Start the loop (after the subclass's reconcile, when it has one). */
  start(): void {
    this.#stopping = false;
    this.#loop ??= this.loop();
  }

  /** Wake an idle loop now (a job was just queued). */
  poke(): void {
    this.#wake?.();
  }

  /**
   * Stop taking jobs; give the running one `graceMs` to finish, then abort it (the queue hands
   * it out again after a restart). Resolves when idle.
   */
  async stop(graceMs = 20_000): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    const timer = setTimeout(() => this.#current?.abort(new Error('shutting down')), graceMs);
    timer.unref();
    await this.#loop;
    this.#loop = undefined;
    clearTimeout(timer);
  }

  /** Claim and run one job from the first queue that has one; false when all are empty. */
  async runOnce(): Promise<boolean> {
    for (const queue of this.queues) {
      const claimed = await this.options.queue.claim(queue, {
        workerId: this.workerId,
        leaseMs: this.leaseMs,
      });
      if (!claimed) continue;
      const abort = new AbortController();
      this.#current = abort;
      try {
        await this.runClaimed(queue, claimed, abort.signal);
      } finally {
        this.#current = undefined;
      }
      return true;
    }
    return false;
  }

  /** Renew the lease of `jobId` every third of it until `stop()` is called. */
  protected keepLease(jobId: string, leaseToken: string): LeaseKeeper {
    const timer = setInterval(
      () => {
        void this.options.queue.extend(jobId, leaseToken, this.leaseMs).catch(() => {});
      },
      Math.max(1000, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  private async loop(): Promise<void> {
    while (!this.#stopping) {
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (err) {
        this.options.log?.('error', { err }, `${this.kind} step failed`);
      }
      if (!worked && !this.#stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 500);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
      }
    }
  }
}
