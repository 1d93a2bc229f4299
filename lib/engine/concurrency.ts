/**
 * Bounded concurrency for the engine's store requests (listings, inventory and header reads,
 * objects of a storage root during validation).
 */

/**
 * Run `fn` over `items` with at most `limit` calls in flight; results in item order. Every
 * started call is awaited before the first failure is rethrown, so nothing is left running
 * after the caller has given up.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return out;
}
