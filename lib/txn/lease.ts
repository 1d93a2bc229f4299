/**
 * Keeping a claim alive while a commit works: the lease is renewed every third of its length
 * (at least every second) by a conditional replace of the claim record. A failed renewal means
 * the claim may be lost (taken over by a writer that judged us dead), so work stops at once:
 * the lease's signal aborts the copies in flight, and `check()` throws before every later step.
 */
import { hasCode } from '../core/errors.js';
import type { WritableStore } from '../storage/port.js';
import { type ClaimRequest, DEFAULT_LEASE_MS, type HeldClaim, renewClaim } from './claim.js';

/** A held claim being renewed; create one right after claiming. */
export class Lease {
  private claim: HeldClaim;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly aborter = new AbortController();
  /** True when a renewal found the claim taken over: it is someone else's now. */
  lost = false;

  constructor(
    private readonly store: WritableStore,
    claim: HeldClaim,
    private readonly req: ClaimRequest,
  ) {
    this.claim = claim;
    const every = Math.max(1000, Math.floor((req.leaseMs ?? DEFAULT_LEASE_MS) / 3));
    this.timer = setInterval(() => {
      this.renewing = this.renewing.then(() => this.renew());
    }, every);
    this.timer.unref();
  }

  /** Aborted when a renewal fails: pass it to long-running work. */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  /** The claim key and its current etag. */
  get held(): HeldClaim {
    return this.claim;
  }

  private async renew(): Promise<void> {
    if (this.failure) return;
    try {
      this.claim = await renewClaim(this.store, this.claim, this.req);
    } catch (err) {
      this.failure = err;
      if (hasCode(err, 'CONFLICT')) this.lost = true;
      this.aborter.abort(err);
    }
  }

  /** Throw if a renewal failed (the claim may be lost: stop writing). */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Stop renewing and return the claim as last renewed. Throws if a renewal failed. */
  async stop(): Promise<HeldClaim> {
    clearInterval(this.timer);
    await this.renewing;
    this.check();
    return this.claim;
  }

  /** Record that the claim key now holds something else we wrote (the version inventory). */
  replaced(etag: string): void {
    this.claim = { ...this.claim, etag };
  }

  /** Stop renewing (after a failure). */
  cancel(): void {
    clearInterval(this.timer);
  }
}
