/**
 * Reading request bodies through zod schemas (the same schemas the OpenAPI document is generated
 * from, so it cannot drift from the code). Property names are matched case-insensitively, as the
 * reference implementation's clients send `IsUpdate` or `BinariesToAdd` (DECISIONS); a body that
 * does not fit is a 400 naming the field.
 */
import type { z } from 'zod';
import { InvalidInputError } from '../../lib/errors.js';

/**
 * A copy of `value` whose object keys are renamed to the schema's spelling when they match it
 * ignoring case (recursively through the given shape of known names). Unknown keys are kept.
 */
export function matchKeys(value: unknown, known: readonly string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(value)) {
    const name = byLower.get(k.toLowerCase()) ?? k;
    if (!Object.hasOwn(out, name) || name === k) out[name] = v;
  }
  return out;
}

/** Parse `body` with `schema`. Throws InvalidInputError naming the first field that does not fit. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : what;
  throw new InvalidInputError(`${field}: ${issue.message}`, { operation: 'parseBody', key: field });
}
