/**
 * Identifiers and scalar shapes of the records layer.
 *
 * Record ids are minted here: 12 characters of lowercase Crockford base32 (no i, l, o, u), the
 * first 9 encoding the creation time in milliseconds and the last 3 random. They are short enough
 * for URLs (`/deposits/0j4x7q2m9abc`), safe in every URI segment and file name, and they sort by
 * creation time as plain byte strings, so LMDB keys, a PostgreSQL `text` column with C collation
 * and JavaScript sorting agree. Within one process ids never repeat and keep increasing even when
 * many are minted in the same millisecond; across processes a clash is unlikely and is caught by
 * the store (AlreadyExistsError on create), never silently overwritten.
 *
 * Ids arriving from URLs are only accepted in the shape {@link isRecordId} describes, which also
 * admits the 8-character ids of the Preservation API's reference implementation.
 */
import { randomInt } from 'node:crypto';
import { InvalidInputError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 9;
const RANDOM_CHARS = 3;
const RANDOM_SPACE = 32 ** RANDOM_CHARS;

let lastTime = -1;
let lastRandom = 0;

function base32(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/**
 * A new record id for time `now` (milliseconds since the epoch, default `Date.now()`). Monotonic
 * within the process: a clock that stands still or steps back continues from the last id.
 */
export function newRecordId(now: number = Date.now()): string {
  let time = Math.max(Math.floor(now), lastTime);
  let random: number;
  if (time === lastTime) {
    random = lastRandom + 1;
    if (random >= RANDOM_SPACE) {
      time += 1; // 32768 ids in one millisecond: borrow the next one rather than repeat
      random = randomInt(RANDOM_SPACE / 2);
    }
  } else random = randomInt(RANDOM_SPACE / 2); // leave room to count up within the millisecond
  lastTime = time;
  lastRandom = random;
  return base32(time, TIME_CHARS) + base32(random, RANDOM_CHARS);
}

/** The shape of a record id accepted from outside: 6 to 32 lowercase letters and digits. */
export const RECORD_ID_PATTERN = /^[0-9a-z]{6,32}$/;

/** True when `value` has the shape of a record id ({@link RECORD_ID_PATTERN}). */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID_PATTERN.test(value);
}

/** `value` when it is a record id; InvalidInputError naming `what` otherwise. */
export function assertRecordId(value: unknown, what = 'id'): string {
  if (isRecordId(value)) return value;
  const shown = typeof value === 'string' ? quoteForMessage(value, 60) : typeof value;
  throw new InvalidInputError(`${what} ${shown} is not a valid id (6 to 32 lowercase letters and digits)`, {
    operation: 'validate',
  });
}

/**
 * The shape of an agent id: the last segment of an agent URI (`{base}/agents/{id}`), e.g. a
 * client id or `user0001@example.org`. URL-safe characters only, so the server can put it in a
 * URI unescaped; an external identity's subject with other characters must be percent-encoded by
 * whoever maps it (hence `%` is allowed).
 */
export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~@+%-]{0,199}$/;

/** True when `value` has the shape of an agent id ({@link AGENT_ID_PATTERN}). */
export function isAgentId(value: unknown): value is string {
  return typeof value === 'string' && AGENT_ID_PATTERN.test(value);
}

/** The shape of a token client's id: like an agent id, without `@`, `+` and `%`, at most 128 characters. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/** The shape of a role name: lowercase, e.g. `admin`, `depositor`. */
export const ROLE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/** The one timestamp format records hold: `Date.prototype.toISOString()`, UTC with milliseconds. */
export const TIMESTAMP_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** True when `value` is a canonical timestamp ({@link TIMESTAMP_PATTERN}) of a real instant. */
export function isTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    TIMESTAMP_PATTERN.test(value) &&
    new Date(Date.parse(value)).toISOString() === value
  );
}

/** The shape of an OCFL version name as records hold it (`v1`, `v2`, zero-padded `v003`). */
export const VERSION_PATTERN = /^v\d{1,16}$/;
