/**
 * Small helpers shared by the inventory checks: the context they report into and JSON shape
 * tests. Internal to `lib/core/ocfl`.
 */
import type { OcflSpecVersion } from '../inventory.js';
import { quoteForMessage } from '../paths.js';
import type { OcflCode, ValidationReport } from './codes.js';

/** Where inventory checks report, and which spec version's rules they apply. */
export interface InventoryContext {
  report: ValidationReport;
  spec: OcflSpecVersion;
  /** Path of the inventory file, attached to every issue. */
  path?: string;
}

/** Report through the context, attaching the inventory path. */
export function flag(ctx: InventoryContext, code: OcflCode, message: string): void {
  ctx.report.add(code, message, ctx.path);
}

/** A JSON object (not null, not an array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Report every key of `obj` outside `allowed` as E102. */
export function flagUnknownKeys(
  ctx: InventoryContext,
  obj: Record<string, unknown>,
  allowed: readonly string[],
  where: string,
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) flag(ctx, 'E102', `${where} has a key the spec does not define: ${q(key)}`);
  }
}

/** Loose URI test (RFC 3986 scheme followed by ":"), enough for the SHOULD-be-a-URI warnings. */
export function looksLikeUri(v: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S/.test(v);
}

/**
 * A value from the inventory for a message: JSON-quoted (control characters show as escapes)
 * and cut to 200 characters, so a hostile id or path never floods a report.
 */
export function q(value: unknown): string {
  return quoteForMessage(typeof value === 'string' ? value : String(value));
}
