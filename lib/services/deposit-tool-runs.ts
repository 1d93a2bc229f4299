/**
 * A deposit's tool outputs, read and parsed run by run (a Brunnhilde folder, or one output file)
 * and each run parsed again only when one of its files changed.
 *
 * A run's records are resolved against the deposit's paths (tool paths are workstation paths),
 * so a change in the listing also re-reads the runs that depend on it: those with paths they
 * could not place, those whose records are keyed by an added or removed file, and ClamAV logs
 * whose clean verdicts were inferred from the deposit's files. Any other run keeps its result: a
 * file uploaded after the tools ran is not something they said anything about. The cache's
 * `refresh` re-reads everything.
 *
 * Stale runs are parsed in one readToolOutputs call (one index of the deposit's paths, which for
 * 100,000 files costs as much as a small report) and the result is split by the run each record
 * came from. The merged result is rebuilt only when a run changed.
 */
import { mapLimit } from '../engine/concurrency.js';
import { classifyToolOutput, metadataLocation } from '../formats/tools/classify.js';
import {
  byKindThenOrigin,
  readToolOutputs,
  TOOL_OUTPUT_MAX_BYTES,
  type ToolOutputFile,
  type ToolOutputsResult,
} from '../formats/tools/index.js';
import type { ReadableStore } from '../storage/port.js';
import type { DepositSourceCache } from './deposit-source-cache.js';
import { tagOf } from './deposit-tags.js';
import type { DepositListing, ListedFile } from './diff/listing.js';

/** The cached runs of a deposit, the deposit paths they were last checked against, the merge. */
interface CachedTools {
  paths: readonly string[];
  pathsTag: string;
  runs: Map<string, CachedRun>;
  merged: { from: ToolOutputsResult[]; result: ToolOutputsResult };
}

/** One run's outputs, read and parsed. */
interface CachedRun {
  tag: string;
  /** Whether another set of deposit paths could change it (see {@link dependsOnListing}). */
  listingSensitive: boolean;
  result: ToolOutputsResult;
}

/**
 * The tool outputs of the deposit `depositId` (see the module doc). `pathsTag` identifies the
 * listing's set of paths. Throws the store's errors; the outputs' own defects are `problems`.
 */
export async function readToolRuns(
  store: ReadableStore,
  depositId: string,
  listing: DepositListing,
  pathsTag: string,
  options: { cache: DepositSourceCache | undefined; concurrency: number; signal: AbortSignal | undefined },
): Promise<ToolOutputsResult> {
  const { cache, concurrency, signal } = options;
  const paths = listing.files.map((f) => f.key);
  const cached = cache?.get<CachedTools>(depositId, 'tools', '');
  let changed: Set<string> | undefined; // worked out only when a run needs it
  const changedSince = () => (changed ??= changedPaths(cached!.paths, paths));
  const runs = new Map<string, ListedFile[]>();
  for (const f of listing.files) {
    if (metadataLocation(f.key) === null || !mayBeToolOutput(f.key)) continue;
    const group = runOf(f.key);
    runs.set(group, [...(runs.get(group) ?? []), f]);
  }
  const next = new Map<string, CachedRun>();
  const stale: ListedFile[] = [];
  const staleGroups: string[] = [];
  for (const [group, files] of runs) {
    const tag = tagOf(files);
    const hit = cached?.runs.get(group);
    const reusable =
      hit !== undefined &&
      hit.tag === tag &&
      (cached!.pathsTag === pathsTag || (!hit.listingSensitive && !touches(hit.result, changedSince())));
    if (reusable) next.set(group, hit);
    else {
      stale.push(...files);
      staleGroups.push(group);
    }
  }
  let whole: ToolOutputsResult | undefined;
  if (stale.length > 0) {
    const bytes = await mapLimit(stale, concurrency, (f) => readOutput(store, f, signal));
    whole = readToolOutputs(bytes, paths);
    for (const [group, result] of splitByRun(whole, staleGroups)) {
      next.set(group, { tag: tagOf(runs.get(group)!), listingSensitive: dependsOnListing(result), result });
    }
  }
  const from = [...next.keys()].sort().map((g) => next.get(g)!.result);
  const same = cached !== undefined && sameList(cached.merged.from, from);
  // Every run read now: the one call's result is already the merge.
  const result = same
    ? cached!.merged.result
    : staleGroups.length === next.size && whole
      ? whole
      : mergeRuns(from);
  const merged = { from, result };
  cache?.set(depositId, 'tools', '', { paths, pathsTag, runs: next, merged }, listing.files.length);
  return withSpecialEntries(merged.result, listing);
}

/** Special entries under metadata/ are reported (never read), as readToolOutputs reports them. */
function withSpecialEntries(result: ToolOutputsResult, listing: DepositListing): ToolOutputsResult {
  const special = listing.special.flatMap((e) =>
    e.type === 'symlink' || metadataLocation(e.key) === null ? [] : [{ path: e.key, type: e.type }],
  );
  if (special.length === 0) return result;
  const problems = readToolOutputs([], [], { specialEntries: special }).problems;
  return { ...result, problems: [...problems, ...result.problems] };
}

/**
 * False for files the classifier rules out by name alone (an image under metadata/ is never
 * read); true when it would need to look inside.
 */
function mayBeToolOutput(path: string): boolean {
  let peeked = false;
  const c = classifyToolOutput(path, () => {
    peeked = true;
    return '';
  });
  return peeked || (c !== null && c !== 'unrecognised');
}

/** The run a tool output belongs to, as the tool-output reader groups them (classify.ts). */
function runOf(path: string): string {
  const loc = metadataLocation(path);
  if (loc === null) return path;
  const parts = loc.rest.split('/');
  return parts.length > 1 && parts[0]!.toLowerCase() === 'brunnhilde' ? `${loc.root}/${parts[0]}` : path;
}

/** Each run's share of one readToolOutputs result, by the output each item came from. */
function splitByRun(result: ToolOutputsResult, groups: readonly string[]): Map<string, ToolOutputsResult> {
  const out = new Map<string, ToolOutputsResult>();
  const first = [...groups].sort()[0] ?? '';
  const part = (origin: string | null | undefined) => {
    const group = origin ? runOf(origin) : first;
    let r = out.get(group);
    if (r === undefined) {
      r = { byPath: new Map(), reports: [], summaries: [], problems: [], outputs: [] };
      out.set(group, r);
    }
    return r;
  };
  for (const g of groups) part(g);
  for (const [path, records] of result.byPath) {
    for (const r of records) {
      const byPath = part(r.origin).byPath;
      const list = byPath.get(path);
      if (list === undefined) byPath.set(path, [r]);
      else list.push(r);
    }
  }
  for (const r of result.reports) part(r.origin ?? r.path).reports.push(r);
  for (const s of result.summaries) part(s.origin).summaries.push(s);
  for (const p of result.problems) part(p.path).problems.push(p);
  for (const o of result.outputs) part(o).outputs.push(o);
  return out;
}

/** Added and removed deposit paths since `before`. */
function changedPaths(before: readonly string[], paths: readonly string[]): Set<string> {
  const now = new Set(paths);
  const old = new Set(before);
  const out = new Set<string>();
  for (const p of before) if (!now.has(p)) out.add(p);
  for (const p of paths) if (!old.has(p)) out.add(p);
  return out;
}

/** True when the run's result could differ for another set of deposit paths. */
function dependsOnListing(result: ToolOutputsResult): boolean {
  if (result.problems.some((p) => p.code === 'TOOL_UNRESOLVED_PATH')) return true;
  return result.summaries.some(
    (s) => s.tool === 'ClamAV' && s.inferredClean !== null && s.inferredClean.scope !== 'tool-run',
  );
}

/** True when a changed path is one the run's records are keyed by. */
function touches(result: ToolOutputsResult, changed: Set<string>): boolean {
  if (changed.size > result.byPath.size) {
    for (const p of result.byPath.keys()) if (changed.has(p)) return true;
    return false;
  }
  for (const p of changed) if (result.byPath.has(p)) return true;
  return false;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** One result from the runs' results, as a single readToolOutputs call would give it. */
function mergeRuns(results: readonly ToolOutputsResult[]): ToolOutputsResult {
  if (results.length === 1) return results[0]!;
  const merged: ToolOutputsResult = {
    byPath: new Map(),
    reports: [],
    summaries: [],
    problems: [],
    outputs: [],
  };
  for (const r of results) {
    for (const [path, records] of r.byPath) {
      const list = merged.byPath.get(path);
      if (list === undefined) merged.byPath.set(path, records);
      else merged.byPath.set(path, [...list, ...records].sort(byKindThenOrigin));
    }
    merged.reports.push(...r.reports);
    merged.summaries.push(...r.summaries);
    merged.problems.push(...r.problems);
    merged.outputs.push(...r.outputs);
  }
  return merged;
}

async function readOutput(
  store: ReadableStore,
  f: ListedFile,
  signal?: AbortSignal,
): Promise<ToolOutputFile> {
  if (f.size <= TOOL_OUTPUT_MAX_BYTES) {
    const bytes = await store.readBytes(f.key, {
      maxBytes: TOOL_OUTPUT_MAX_BYTES,
      ...(signal && { signal }),
    });
    return { path: f.key, bytes };
  }
  // Only the start: enough to recognise it and report it as too large, never parsed.
  const head: Buffer[] = [];
  for await (const c of await store.read(f.key, { start: 0, end: 8191, ...(signal && { signal }) }))
    head.push(c as Buffer);
  return { path: f.key, bytes: Buffer.concat(head), size: f.size };
}
