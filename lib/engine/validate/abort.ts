/**
 * One abort listener per validation: the caller's signal is relayed to a signal of our own, on
 * which the many concurrent reads, listings and hash streams of a validation register (16 and
 * more at once on S3), so Node never warns about too many listeners on the caller's signal.
 */
import { setMaxListeners } from 'node:events';

/**
 * Run `fn` with a signal that aborts when `signal` does (with its reason); undefined when no
 * signal is given. The relay listener is removed when `fn` settles. Rejects as `fn` does.
 */
export async function withRelayedSignal<T>(
  signal: AbortSignal | undefined,
  fn: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!signal) return fn(undefined);
  const relay = new AbortController();
  // Our own reads are bounded (listings 4, streams 16, pool batches per worker), just not by 10.
  setMaxListeners(256, relay.signal);
  const onAbort = () => relay.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(relay.signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
