/**
 * Field checks for record inputs. Every problem of one input is collected and reported in one
 * InvalidInputError naming each field, so a caller fixes everything at once; nothing from the
 * input is echoed beyond a short, quoted excerpt.
 *
 * Bounds matter here because records end up in index keys (LMDB refuses keys over ~1978 bytes and
 * strings with NUL) and in every listing: a 100 MB `submissionText` must be refused, not stored.
 */
import { InvalidInputError } from '../core/errors.js';
import { describePathProblem, pathSafetyProblems, quoteForMessage } from '../core/paths.js';
import { AGENT_ID_PATTERN, isTimestamp, RECORD_ID_PATTERN, ROLE_PATTERN, VERSION_PATTERN } from './ids.js';

/** Longest Archival Group path in UTF-8 bytes (it is part of index keys). */
export const MAX_GROUP_PATH_BYTES = 1024;
/** Longest free-text field (submissionText) in characters. */
export const MAX_TEXT_CHARS = 20_000;
/** Longest name (archivalGroupName, agent name) in characters. */
export const MAX_NAME_CHARS = 1_000;
/** Longest location URI (`files`) in characters. */
export const MAX_LOCATION_CHARS = 2_048;
/** Most roles an agent or client may hold. */
export const MAX_ROLES = 20;

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Collects field problems of one input; {@link FieldChecks.done} throws them together. */
export class FieldChecks {
  private readonly problems: string[] = [];

  constructor(private readonly what: string) {}

  /** Record a problem with `field`. */
  add(field: string, message: string): void {
    if (this.problems.length < 50) this.problems.push(`${field}: ${message}`);
  }

  /** Throw InvalidInputError listing every problem, if there is one. */
  done(): void {
    if (this.problems.length === 0) return;
    throw new InvalidInputError(`invalid ${this.what}: ${this.problems.join('; ')}`, {
      operation: 'validate',
    });
  }

  /** A record id (required, or null/undefined allowed when `nullable`). */
  id(field: string, value: unknown, nullable = false): void {
    if (nullable && value == null) return;
    if (typeof value !== 'string' || !RECORD_ID_PATTERN.test(value))
      this.add(field, `${show(value)} is not a record id`);
  }

  /** An agent id. */
  agent(field: string, value: unknown, nullable = false): void {
    if (nullable && value == null) return;
    if (typeof value !== 'string' || !AGENT_ID_PATTERN.test(value))
      this.add(field, `${show(value)} is not an agent id`);
  }

  /** A canonical timestamp. */
  timestamp(field: string, value: unknown, nullable = false): void {
    if (nullable && value == null) return;
    if (!isTimestamp(value))
      this.add(field, `${show(value)} is not an ISO timestamp with milliseconds (UTC)`);
  }

  /** A version name `vN`. */
  version(field: string, value: unknown, nullable = false): void {
    if (nullable && value == null) return;
    if (typeof value !== 'string' || !VERSION_PATTERN.test(value))
      this.add(field, `${show(value)} is not a version name (vN)`);
  }

  /** Free text of at most `max` characters, no control characters but tab and newlines. */
  text(field: string, value: unknown, max: number, nullable = true): void {
    if (nullable && value == null) return;
    if (typeof value !== 'string') this.add(field, 'must be a string');
    else if (value.length > max) this.add(field, `longer than ${max} characters`);
    else if (CONTROL.test(value)) this.add(field, 'contains a control character');
  }

  /** An Archival Group path: a safe relative path of at most {@link MAX_GROUP_PATH_BYTES} bytes. */
  groupPath(field: string, value: unknown, nullable = true): void {
    if (nullable && value == null) return;
    const problems = pathSafetyProblems(value, { maxLength: MAX_GROUP_PATH_BYTES });
    if (problems.length > 0) this.add(field, `${show(value)}: ${describePathProblem(problems[0]!)}`);
    else if (Buffer.byteLength(value as string, 'utf8') > MAX_GROUP_PATH_BYTES)
      this.add(field, `longer than ${MAX_GROUP_PATH_BYTES} bytes`);
  }

  /** One of `allowed`. */
  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): void {
    if (!allowed.includes(value as T)) this.add(field, `${show(value)} is not one of ${allowed.join(', ')}`);
  }

  /** A boolean. */
  bool(field: string, value: unknown): void {
    if (typeof value !== 'boolean') this.add(field, 'must be true or false');
  }

  /** A location URI ending in `/` (the deposit's working area). */
  location(field: string, value: unknown): void {
    if (typeof value !== 'string' || value.length === 0) this.add(field, 'must be a location URI');
    else if (value.length > MAX_LOCATION_CHARS)
      this.add(field, `longer than ${MAX_LOCATION_CHARS} characters`);
    else if (ANY_CONTROL.test(value)) this.add(field, 'contains a control character');
    else if (!value.endsWith('/')) this.add(field, `${show(value)} must end with "/"`);
  }

  /** A list of role names. */
  roles(field: string, value: unknown): void {
    if (!Array.isArray(value)) {
      this.add(field, 'must be a list of role names');
      return;
    }
    if (value.length > MAX_ROLES) this.add(field, `more than ${MAX_ROLES} roles`);
    for (const role of value)
      if (typeof role !== 'string' || !ROLE_PATTERN.test(role))
        this.add(field, `${show(role)} is not a role name`);
  }

  /** A non-negative safe integer (or null when `nullable`). */
  count(field: string, value: unknown, nullable = false): void {
    if (nullable && value == null) return;
    if (!Number.isSafeInteger(value) || (value as number) < 0) this.add(field, 'must be a whole number ≥ 0');
  }
}

/** A short, quoted form of a value for a message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return quoteForMessage(value, 80);
  if (value === null) return 'null';
  return typeof value;
}

/**
 * A plain JSON copy of `value` without `__proto__` keys: JSON.parse makes them ordinary own
 * properties, but a store's decoder may not (msgpack renames them), so they are dropped for all.
 */
export function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === '__proto__' ? undefined : v)) as T;
}

/** True when `object` has `key` as its own property (never an inherited one such as `__proto__`). */
export function has(object: object, key: string): boolean {
  return Object.hasOwn(object, key);
}
