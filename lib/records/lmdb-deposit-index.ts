/**
 * Secondary indexes of deposits in LMDB and the listing planner over them.
 *
 * Keys (lmdb ordered-binary arrays; values unused):
 * - order: `['o', field, scope, rank, value, id]` for each of the 10 order fields, in scope `all`
 *   and, for active deposits, also `active`. `rank` 0 holds deposits with a value (dates as ms,
 *   strings as themselves, which LMDB orders by UTF-8 bytes = code points), rank 1 those without
 *   (value `''`), so "nulls last" in both directions is rank 0 then rank 1, each scanned forwards
 *   or backwards. Ties fall to the id, in the same direction.
 * - match: `['e', field, value, id]` for status, archivalGroupPath and the four `…By` agents.
 *
 * A listing takes one of two paths:
 * 1. with a filter whose index range holds at most {@link MATCH_CANDIDATE_LIMIT} deposits
 *    (counted from keys alone) — an exact match, or a date range on another field than the
 *    order (its order-index range in the scope) — the smallest such range's deposits are read,
 *    filtered and sorted in memory: cost ∝ candidates;
 * 2. otherwise the order index of the scope is walked in the requested direction. A date filter
 *    on the order field narrows the key range; with no other filter the total is a key count and
 *    the page a key range at an offset (no record is read but the page's). With other filters each
 *    walked deposit is read and tested: cost ∝ deposits in scope, which the total needs anyway.
 *
 * Every path is tested against the plain filter-and-sort of the memory store.
 */
import type { Database } from 'lmdb';
import {
  compareDeposits,
  DEPOSIT_DATE_FIELDS,
  DEPOSIT_MATCH_FIELDS,
  DEPOSIT_ORDER_FIELDS,
  type DepositOrderField,
  type DepositPage,
  type DepositQuery,
  depositOrderValue,
  matchesDepositQuery,
} from './deposit-query.js';
import type { DepositRecord } from './model.js';

/** A key of the deposit index. */
type IndexKey = Array<string | number>;

/** Above this many candidates a filter is applied while walking the order index instead. */
export const MATCH_CANDIDATE_LIMIT = 5000;

/** Sorts after every record id (ids use `0-9a-z`), closing a key range on `[..., value]`. */
const AFTER_IDS = '~';

/** Every index key of `deposit`. */
export function depositIndexKeys(deposit: DepositRecord): IndexKey[] {
  const keys: IndexKey[] = [];
  const scopes = deposit.active ? ['all', 'active'] : ['all'];
  for (const field of DEPOSIT_ORDER_FIELDS) {
    const value = depositOrderValue(deposit, field);
    for (const scope of scopes)
      keys.push(
        value === null ? ['o', field, scope, 1, '', deposit.id] : ['o', field, scope, 0, value, deposit.id],
      );
  }
  for (const field of DEPOSIT_MATCH_FIELDS) {
    const value = deposit[field];
    if (value !== null) keys.push(['e', field, value, deposit.id]);
  }
  return keys;
}

/** Replace `previous`'s index keys by `next`'s (either may be undefined), touching only what changed. Inside a write transaction. */
export function reindexDeposit(
  index: Database,
  previous: DepositRecord | undefined,
  next: DepositRecord | undefined,
): void {
  const before = new Map((previous ? depositIndexKeys(previous) : []).map((k) => [JSON.stringify(k), k]));
  const after = new Map((next ? depositIndexKeys(next) : []).map((k) => [JSON.stringify(k), k]));
  for (const [text, key] of before) if (!after.has(text)) index.removeSync(key);
  for (const [text, key] of after) if (!before.has(text)) index.putSync(key, null);
}

interface Range {
  start: IndexKey;
  end: IndexKey;
}

/** The order-index ranges of `query` (rank 0 then rank 1), ascending bounds; and whether the date filter on the order field was used. */
function orderRanges(query: DepositQuery): { ranges: Range[]; narrowed: boolean } {
  const field: DepositOrderField = query.orderBy;
  const base = ['o', field, query.showAll ? 'all' : 'active'];
  const dates = query.dates as Partial<Record<string, { after?: number; before?: number }>>;
  const range = dates[field];
  if (range) return { ranges: [dateRange(base, range)], narrowed: true };
  return {
    ranges: [
      { start: [...base, 0], end: [...base, 1] },
      { start: [...base, 1], end: [...base, 2] },
    ],
    narrowed: false,
  };
}

/**
 * The keys of order index `base` (`['o', field, scope]`) whose date lies strictly inside `range`.
 * Deposits without the date never match a filter on it: rank 1 is left out.
 */
function dateRange(base: IndexKey, range: { after?: number; before?: number }): Range {
  const start = range.after === undefined ? [...base, 0] : [...base, 0, range.after, AFTER_IDS];
  const end = range.before === undefined ? [...base, 1] : [...base, 0, range.before];
  return { start, end };
}

/** The key-range options for walking `range` in the query's direction. */
function walk(range: Range, ascending: boolean) {
  return ascending
    ? { start: range.start, end: range.end }
    : { start: range.end, end: range.start, reverse: true };
}

/** A page of deposits for `query` from `index` and the `deposits` database. */
export function listFromIndex(
  index: Database,
  deposits: Database<DepositRecord, string>,
  query: DepositQuery,
  matchCandidateLimit = MATCH_CANDIDATE_LIMIT,
): DepositPage {
  const offset = (query.page - 1) * query.pageSize;
  const page = (list: DepositRecord[], total: number): DepositPage => ({
    deposits: list,
    total,
    page: query.page,
    pageSize: query.pageSize,
  });

  const candidates = smallestFilterRange(index, query, matchCandidateLimit);
  if (candidates) {
    const found: DepositRecord[] = [];
    for (const key of index.getKeys(candidates) as Iterable<IndexKey>) {
      const deposit = deposits.get(String(key[key.length - 1]));
      if (deposit && matchesDepositQuery(deposit, query)) found.push(deposit);
    }
    found.sort(compareDeposits(query));
    return page(found.slice(offset, offset + query.pageSize), found.length);
  }

  const { ranges, narrowed } = orderRanges(query);
  const otherDates = Object.keys(query.dates).some((f) => f !== query.orderBy || !narrowed);
  const filtered = Object.keys(query.match).length > 0 || otherDates;
  // Nulls last in both directions: rank 0 then rank 1, each walked in the query's direction.
  const ordered = ranges;
  if (!filtered) {
    // getKeysCount marks the options object it is given as count-only: always pass a copy.
    const counts = ordered.map((r) => index.getKeysCount({ ...r }));
    const total = counts.reduce((a, b) => a + b, 0);
    const ids: string[] = [];
    let skip = offset;
    for (const [i, range] of ordered.entries()) {
      if (ids.length >= query.pageSize) break;
      if (skip >= counts[i]!) {
        skip -= counts[i]!;
        continue;
      }
      const keys = index.getKeys({
        ...walk(range, query.ascending),
        offset: skip,
        limit: query.pageSize - ids.length,
      });
      for (const key of keys as Iterable<IndexKey>) ids.push(String(key[5]));
      skip = 0;
    }
    const list = ids.map((id) => deposits.get(id)).filter((d): d is DepositRecord => d !== undefined);
    return page(list, total);
  }
  const list: DepositRecord[] = [];
  let total = 0;
  for (const range of ordered) {
    for (const key of index.getKeys(walk(range, query.ascending)) as Iterable<IndexKey>) {
      const deposit = deposits.get(String(key[5]));
      if (!deposit || !matchesDepositQuery(deposit, query)) continue;
      total++;
      if (total > offset && list.length < query.pageSize) list.push(deposit);
    }
  }
  return page(list, total);
}

/**
 * The filter range with the fewest keys — exact matches (`e` keys) and date ranges on fields
 * other than the order field (`o` keys of that field in the scope) — if it is small enough to
 * read whole. (A date range on the order field is better served by walking that range in order.)
 */
function smallestFilterRange(index: Database, query: DepositQuery, limit: number): Range | undefined {
  const ranges: Range[] = [];
  for (const field of DEPOSIT_MATCH_FIELDS) {
    const value = query.match[field];
    if (value !== undefined) ranges.push({ start: ['e', field, value], end: ['e', field, value, AFTER_IDS] });
  }
  for (const field of DEPOSIT_DATE_FIELDS) {
    const range = query.dates[field];
    if (range === undefined || field === query.orderBy) continue;
    ranges.push(dateRange(['o', field, query.showAll ? 'all' : 'active'], range));
  }
  let best: Range | undefined;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const range of ranges) {
    // getKeysCount marks the options object it is given as count-only: pass a copy.
    const count = index.getKeysCount({ ...range });
    if (count < bestCount) [best, bestCount] = [range, count];
  }
  return bestCount <= limit ? best : undefined;
}
