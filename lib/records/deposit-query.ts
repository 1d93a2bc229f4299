/**
 * Listing deposits: the query of `GET /deposits` (paging, ordering, filters, `showAll`), its
 * parsing from query-string parameters, and the reference semantics every store must match:
 *
 * - only active deposits unless `showAll`;
 * - `…By` filters and `status`, `archivalGroupPath` are exact matches (an agent URI is reduced to
 *   its id by the parser when the agent base is known);
 * - `…After` / `…Before` are strict (`created > after`, `created < before`) and exclude deposits
 *   without that date;
 * - ordering by the chosen field, strings by Unicode code point (= UTF-8 byte order, as LMDB keys
 *   and PostgreSQL's C collation order them), dates by instant; deposits without a value for the
 *   field come **last in either direction**; ties are broken by id in the same direction (ids
 *   sort by creation);
 * - `page` counts from 1; `pageSize` is 1 to {@link MAX_DEPOSIT_PAGE_SIZE}.
 *
 * Pure module: `matchesDepositQuery` and `compareDeposits` are the oracle the memory store uses
 * and the LMDB store is tested against.
 */
import { InvalidInputError } from '../core/errors.js';
import { idPathToResourcePath } from '../core/resource-ids.js';
import { FieldChecks, has, show } from './checks.js';
import { DEPOSIT_STATUSES, type DepositRecord } from './model.js';

/** Fields a deposit listing can be ordered by. */
export type DepositOrderField =
  | 'archivalGroupPath'
  | 'status'
  | 'exported'
  | 'exportedBy'
  | 'preserved'
  | 'preservedBy'
  | 'lastModified'
  | 'lastModifiedBy'
  | 'created'
  | 'createdBy';

/** Every {@link DepositOrderField}. */
export const DEPOSIT_ORDER_FIELDS: readonly DepositOrderField[] = [
  'archivalGroupPath',
  'status',
  'exported',
  'exportedBy',
  'preserved',
  'preservedBy',
  'lastModified',
  'lastModifiedBy',
  'created',
  'createdBy',
];

/** The order fields holding timestamps (compared as instants). */
export const DEPOSIT_DATE_FIELDS = ['created', 'lastModified', 'preserved', 'exported'] as const;

/** A date field of a deposit. */
export type DepositDateField = (typeof DEPOSIT_DATE_FIELDS)[number];

/** Fields filtered by exact match. */
export const DEPOSIT_MATCH_FIELDS = [
  'status',
  'archivalGroupPath',
  'createdBy',
  'lastModifiedBy',
  'preservedBy',
  'exportedBy',
] as const;

/** A field filtered by exact match. */
export type DepositMatchField = (typeof DEPOSIT_MATCH_FIELDS)[number];

/** Default and maximum page sizes of a deposit listing. */
export const DEFAULT_DEPOSIT_PAGE_SIZE = 100;
/** Largest `pageSize` accepted. */
export const MAX_DEPOSIT_PAGE_SIZE = 1000;
/** Largest `page` accepted (a bound on the work of skipping). */
export const MAX_DEPOSIT_PAGE = 1_000_000;

/** A strict date range on one date field, in milliseconds since the epoch. */
export interface DateRange {
  after?: number;
  before?: number;
}

/** A complete, validated deposit query. */
export interface DepositQuery {
  page: number;
  pageSize: number;
  orderBy: DepositOrderField;
  ascending: boolean;
  showAll: boolean;
  /** Exact-match filters (absent: no filter). */
  match: Partial<Record<DepositMatchField, string>>;
  /** Date filters (absent: no filter). */
  dates: Partial<Record<DepositDateField, DateRange>>;
}

/** What callers may pass: any subset; the rest takes the defaults of the spec. */
export interface DepositQueryInput {
  page?: number;
  pageSize?: number;
  orderBy?: DepositOrderField;
  ascending?: boolean;
  showAll?: boolean;
  match?: Partial<Record<DepositMatchField, string>>;
  dates?: Partial<Record<DepositDateField, DateRange>>;
}

/** One page of deposits and the number of deposits matching in all. */
export interface DepositPage {
  deposits: DepositRecord[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * `input` completed with the defaults (page 1, 100 per page, by `created` descending, active
 * only) and checked. Throws InvalidInputError naming each bad field. Only own properties of the
 * input are read, so a `__proto__` key is an unknown field like any other.
 */
export function depositQuery(input: DepositQueryInput = {}): DepositQuery {
  const checks = new FieldChecks('deposit query');
  const page = own(input, 'page') ?? 1;
  const pageSize = own(input, 'pageSize') ?? DEFAULT_DEPOSIT_PAGE_SIZE;
  if (!Number.isSafeInteger(page) || page < 1 || page > MAX_DEPOSIT_PAGE)
    checks.add('page', `must be a whole number from 1 to ${MAX_DEPOSIT_PAGE}`);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_DEPOSIT_PAGE_SIZE)
    checks.add('pageSize', `must be a whole number from 1 to ${MAX_DEPOSIT_PAGE_SIZE}`);
  const orderBy = own(input, 'orderBy') ?? 'created';
  checks.oneOf('orderBy', orderBy, DEPOSIT_ORDER_FIELDS);
  const ascending = own(input, 'ascending') ?? false;
  const showAll = own(input, 'showAll') ?? false;
  checks.bool('ascending', ascending);
  checks.bool('showAll', showAll);
  const match: DepositQuery['match'] = {};
  const matchIn = own(input, 'match') ?? {};
  for (const field of DEPOSIT_MATCH_FIELDS) {
    const value = own(matchIn, field);
    if (value === undefined) continue;
    if (field === 'status') checks.oneOf(field, value, DEPOSIT_STATUSES);
    else if (field === 'archivalGroupPath') checks.groupPath(field, value, false);
    else checks.agent(field, value);
    match[field] = value;
  }
  const dates: DepositQuery['dates'] = {};
  const datesIn = own(input, 'dates') ?? {};
  for (const field of DEPOSIT_DATE_FIELDS) {
    const range = own(datesIn, field);
    if (range === undefined) continue;
    const after = own(range, 'after');
    const before = own(range, 'before');
    for (const [name, v] of [
      ['After', after],
      ['Before', before],
    ] as const) {
      if (v !== undefined && !Number.isFinite(v)) checks.add(`${field}${name}`, 'must be a date');
    }
    dates[field] = { ...(after !== undefined && { after }), ...(before !== undefined && { before }) };
  }
  checks.done();
  return { page, pageSize, orderBy, ascending, showAll, match, dates };
}

function own<T extends object, K extends keyof T>(object: T, key: K): T[K] | undefined {
  return typeof object === 'object' && object !== null && has(object, key as string)
    ? object[key]
    : undefined;
}

/** The value a deposit is ordered by for `field`: a string, an instant in ms, or null (last). */
export function depositOrderValue(deposit: DepositRecord, field: DepositOrderField): string | number | null {
  const value = deposit[field];
  if (value === null) return null;
  return (DEPOSIT_DATE_FIELDS as readonly string[]).includes(field) ? Date.parse(value) : value;
}

/** True when `deposit` passes every filter of `query` (paging aside). */
export function matchesDepositQuery(deposit: DepositRecord, query: DepositQuery): boolean {
  if (!query.showAll && !deposit.active) return false;
  for (const field of DEPOSIT_MATCH_FIELDS) {
    const want = query.match[field];
    if (want !== undefined && deposit[field] !== want) return false;
  }
  for (const field of DEPOSIT_DATE_FIELDS) {
    const range = query.dates[field];
    if (range && !inRange(deposit[field], range)) return false;
  }
  return true;
}

/** True when timestamp `value` lies strictly inside `range` (null never does). */
export function inRange(value: string | null, range: DateRange): boolean {
  if (value === null) return false;
  const at = Date.parse(value);
  return (range.after === undefined || at > range.after) && (range.before === undefined || at < range.before);
}

/** Compare strings by Unicode code point (UTF-8 byte order), unlike `<` on UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort above every BMP unit in code-point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The comparator of `query`'s order: field, nulls last either way, then id. */
export function compareDeposits(query: Pick<DepositQuery, 'orderBy' | 'ascending'>) {
  const dir = query.ascending ? 1 : -1;
  return (a: DepositRecord, b: DepositRecord): number => {
    const x = depositOrderValue(a, query.orderBy);
    const y = depositOrderValue(b, query.orderBy);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) {
      const c = typeof x === 'number' ? x - (y as number) : compareCodePoints(x, y as string);
      return dir * Math.sign(c);
    }
    return dir * compareCodePoints(a.id, b.id);
  };
}

/** Options of {@link parseDepositQuery}. */
export interface ParseDepositQueryOptions {
  /** Base of agent URIs (`https://host/agents/`): `createdBy=https://host/agents/tom` means `tom`. */
  agentBase?: string;
  /** Base of repository URIs (`https://host/repository/`): an `archivalGroupPath` under it is reduced to its path. */
  repositoryBase?: string;
}

const PARAMS: Record<string, string> = Object.assign(Object.create(null), {
  page: 'page',
  pagesize: 'pageSize',
  orderby: 'orderBy',
  ascending: 'ascending',
  showall: 'showAll',
  status: 'status',
  archivalgrouppath: 'archivalGroupPath',
  archivalgroup: 'archivalGroupPath',
});
for (const who of ['created', 'lastModified', 'preserved', 'exported']) {
  PARAMS[`${who.toLowerCase()}by`] = `${who}By`;
  PARAMS[`${who.toLowerCase()}after`] = `${who}After`;
  PARAMS[`${who.toLowerCase()}before`] = `${who}Before`;
}

const DATE = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

/**
 * A {@link DepositQuery} from query-string parameters (`URLSearchParams` or a parsed object), as
 * `GET /deposits` receives them. Names are matched case-insensitively (clients of the reference
 * implementation send `PageSize`); `archivalGroup` is accepted for `archivalGroupPath`, which may
 * be the group's URI, its id path (escapes decoded) or its resource path; unknown names are ignored; a repeated name is an error. Booleans are `true`/`false`; dates are ISO 8601
 * dates or date-times (a date alone is midnight UTC). Throws InvalidInputError naming each bad
 * parameter.
 */
export function parseDepositQuery(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
  options: ParseDepositQueryOptions = {},
): DepositQuery {
  const raw = collect(params);
  const checks = new FieldChecks('deposit query');
  const input: DepositQueryInput & { match: DepositQuery['match']; dates: DepositQuery['dates'] } = {
    match: {},
    dates: {},
  };
  for (const [name, value] of raw) {
    if (name === 'page' || name === 'pageSize') {
      if (!/^\d{1,9}$/.test(value)) checks.add(name, `${show(value)} is not a whole number`);
      else input[name] = Number(value);
    } else if (name === 'ascending' || name === 'showAll') {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') checks.add(name, `${show(value)} is not true or false`);
      else input[name] = lower === 'true';
    } else if (name === 'orderBy') {
      const field = DEPOSIT_ORDER_FIELDS.find((f) => f.toLowerCase() === value.toLowerCase());
      if (!field) checks.add(name, `${show(value)} is not one of ${DEPOSIT_ORDER_FIELDS.join(', ')}`);
      else input.orderBy = field;
    } else if (name === 'status') input.match.status = value;
    else if (name === 'archivalGroupPath') input.match.archivalGroupPath = groupPathOf(value, options);
    else if (name.endsWith('By')) input.match[name as DepositMatchField] = agentOf(value, options);
    else {
      const at = DATE.test(value)
        ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
        : Number.NaN;
      if (!Number.isFinite(at)) checks.add(name, `${show(value)} is not an ISO 8601 date`);
      const field = name.replace(/(After|Before)$/, '') as DepositDateField;
      const range = input.dates[field] ?? {};
      input.dates[field] = range;
      range[name.endsWith('After') ? 'after' : 'before'] = at;
    }
  }
  checks.done();
  return depositQuery(input);
}

function collect(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): Map<string, string> {
  const entries: Array<[string, string]> = [];
  if (params instanceof URLSearchParams) for (const e of params) entries.push(e);
  else
    for (const key of Object.keys(params)) {
      const value = params[key];
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) entries.push([key, String(v)]);
    }
  const out = new Map<string, string>();
  for (const [key, value] of entries) {
    const name = PARAMS[key.toLowerCase()];
    if (name === undefined) continue;
    if (out.has(name)) throw new InvalidInputError(`deposit query: ${name} is given more than once`);
    out.set(name, value);
  }
  return out;
}

function agentOf(value: string, options: ParseDepositQueryOptions): string {
  const base = options.agentBase;
  return base && value.startsWith(base) ? value.slice(base.length) : value;
}

/**
 * The group's resource path: a URI under the repository base or an id path has its escapes
 * decoded (`caf%C3%A9` is `café`, as records hold it); anything that is not a well-formed id
 * path is taken as the resource path itself (`lib/café au lait`).
 */
function groupPathOf(value: string, options: ParseDepositQueryOptions): string {
  const base = options.repositoryBase;
  const isUri = base !== undefined && value.startsWith(base);
  const path = (isUri ? value.slice(base.length) : value).replace(/^\/+|\/+$/g, '');
  try {
    return idPathToResourcePath(path);
  } catch (err) {
    if (isUri) throw err; // a URI of the repository must be a well-formed id
    return path;
  }
}
