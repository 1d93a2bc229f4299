/**
 * Keying tool records by deposit path. Tools record whatever path they were given on the
 * workstation: absolute POSIX (`/home/u/packing/bag/objects/a.tif`), Windows (`C:\Users\u\bag\
 * objects\a.tif`), or relative to wherever they ran (`bag/objects/a.tif`, `objects/a.tif`, or
 * `nyc/a.jpg` when run inside `objects/`). The deposit knows its files as `objects/a.tif`, or
 * `data/objects/a.tif` in a BagIt layout.
 *
 * One path: {@link relativiseToolPath} finds the deposit file sharing the longest run of trailing
 * path components with the tool's path (at least the file name; ties are ambiguous → null).
 *
 * A whole output: {@link makeToolPathResolver} first matches every path, then takes the
 * (tool prefix → deposit prefix) substitution most paths agree on (e.g. `/home/u/packing/bag`
 * → `data`) and applies it to every path under that prefix, so files that the tool saw but the
 * deposit lacks still get the deposit path they would have (and the combiner can report them as
 * missing), and a stray file that only shares its name with a deposit file is not mis-keyed.
 *
 * Comparisons are made on NFC-normalised components (macOS writes NFD names); Windows-style
 * paths also match case-insensitively when no exact-case file exists. Pure; no I/O.
 */

/** The deposit's file list prepared for suffix lookups. Build once per deposit. */
export interface DepositPathIndex {
  /** Deposit file paths as given. */
  files: Set<string>;
  /** Every directory implied by the file paths (and any given explicitly). */
  directories: Set<string>;
  /** NFC file name → deposit paths with that name. */
  byName: Map<string, string[]>;
  /** Lower-cased NFC file name → deposit paths (for Windows-style tool paths); built on first use. */
  byLowerName?: Map<string, string[]>;
}

/** A tool path split into comparable parts. */
export interface NormalisedToolPath {
  /** NFC components, `.` removed and `..` applied. */
  components: string[];
  /** True for `/…`, `C:\…`, `\\server\share\…`, `file://…`. */
  absolute: boolean;
  /** True when it looked like a Windows path (drive letter, UNC or backslashes only). */
  windows: boolean;
}

/** The deposit file a tool path was matched to, and the prefixes that differ. */
export interface ToolPathMatch {
  localPath: string;
  /** Tool-side components before the shared suffix, joined with `/` (a leading `/` when absolute). */
  toolPrefix: string;
  /** Deposit-side components before the shared suffix, joined with `/`. */
  depositPrefix: string;
  /** How many trailing components the two paths share. */
  sharedComponents: number;
}

/** Where a tool path lands in the deposit. */
export interface ResolvedToolPath {
  toolPath: string;
  /** Deposit-relative path, or null when nothing in the deposit or the output places it. */
  localPath: string | null;
  /** True when `localPath` is an existing deposit file (or directory, for directory lookups). */
  present: boolean;
  /** The path relative to where the tool ran (tool path minus its workstation prefix); null if unresolved. */
  originalName: string | null;
  /** The tool's path as recorded, when it was absolute; else null. */
  storageLocation: string | null;
}

/** Build the lookup index for a deposit's files (and optionally explicit directories). */
export function indexDepositPaths(
  paths: Iterable<string>,
  directories: Iterable<string> = [],
): DepositPathIndex {
  const index: DepositPathIndex = {
    files: new Set(),
    directories: new Set(),
    byName: new Map(),
  };
  for (const p of paths) {
    index.files.add(p);
    const cut = p.lastIndexOf('/');
    const name = nfc(p.slice(cut + 1));
    push(index.byName, name, p);
    // Walk up until a directory already seen: every ancestor above it is known too.
    for (let end = cut; end > 0; end = p.lastIndexOf('/', end - 1)) {
      const dir = p.slice(0, end);
      if (index.directories.has(dir)) break;
      index.directories.add(dir);
    }
  }
  for (const d of directories) if (d !== '') index.directories.add(d.replace(/\/+$/, ''));
  return index;
}

/** NFC form; ASCII (the common case) is returned as is without the cost of normalising. */
function nfc(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s : s.normalize('NFC');
}

function lowerNames(index: DepositPathIndex): Map<string, string[]> {
  if (index.byLowerName === undefined) {
    const lower = new Map<string, string[]>();
    for (const [name, paths] of index.byName) for (const p of paths) push(lower, name.toLowerCase(), p);
    index.byLowerName = lower;
  }
  return index.byLowerName;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function asIndex(known: readonly string[] | DepositPathIndex): DepositPathIndex {
  return Array.isArray(known) ? indexDepositPaths(known) : (known as DepositPathIndex);
}

/** Split a tool path into NFC components, recognising POSIX, Windows, UNC and file:// forms. */
export function normaliseToolPath(toolPath: string): NormalisedToolPath {
  let p = toolPath;
  let absolute = false;
  if (/^file:\/\//i.test(p)) {
    p = safeDecode(p.replace(/^file:\/\/[^/]*/i, ''));
    absolute = true;
  }
  const drive = /^[A-Za-z]:[\\/]/.test(p);
  const unc = p.startsWith('\\\\');
  const windows = drive || unc || (p.includes('\\') && !p.includes('/'));
  if (windows) p = p.replace(/\\/g, '/');
  if (drive) p = p.slice(2);
  if (p.startsWith('/')) absolute = true;
  const components: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') components.pop();
    else components.push(nfc(c));
  }
  return { components, absolute, windows };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function sharedSuffix(a: string[], b: string[], fold: boolean): number {
  let k = 0;
  while (k < a.length && k < b.length) {
    const x = a[a.length - 1 - k]!;
    const y = nfc(b[b.length - 1 - k]!);
    if (fold ? x.toLowerCase() !== y.toLowerCase() : x !== y) break;
    k++;
  }
  return k;
}

/**
 * Match one tool path to the deposit file with the longest shared trailing run of components
 * (at least the file name). Returns null when no deposit file has that name, or when two deposit
 * files share equally long suffixes with it (ambiguous: we do not guess).
 */
export function relativiseToolPath(
  toolPath: string,
  known: readonly string[] | DepositPathIndex,
): ToolPathMatch | null {
  const index = asIndex(known);
  const norm = normaliseToolPath(toolPath);
  const name = norm.components[norm.components.length - 1];
  if (name === undefined) return null;
  let fold = false;
  let candidates = index.byName.get(name) ?? [];
  if (candidates.length === 0 && norm.windows) {
    candidates = lowerNames(index).get(name.toLowerCase()) ?? [];
    fold = true;
  }
  let best: { path: string; k: number } | null = null;
  let tie = false;
  for (const c of candidates) {
    const k = sharedSuffix(norm.components, c.split('/'), fold);
    if (k === 0) continue;
    if (best === null || k > best.k) {
      best = { path: c, k };
      tie = false;
    } else if (k === best.k) tie = true;
  }
  if (best === null || tie) return null;
  const depParts = best.path.split('/');
  return {
    localPath: best.path,
    toolPrefix: joinPrefix(norm.components.slice(0, norm.components.length - best.k), norm.absolute),
    depositPrefix: depParts.slice(0, depParts.length - best.k).join('/'),
    sharedComponents: best.k,
  };
}

function joinPrefix(components: string[], absolute: boolean): string {
  return (absolute ? '/' : '') + components.join('/');
}

interface PrefixMapping {
  tool: string[];
  absolute: boolean;
  deposit: string;
  votes: number;
}

/**
 * Prepare a resolver for all the paths of one tool output (or of one tool run, e.g. a Brunnhilde
 * folder). The returned function resolves those paths and any other path from the same run
 * (such as the directory the tool was pointed at). Never throws.
 */
export function makeToolPathResolver(
  toolPaths: Iterable<string>,
  known: readonly string[] | DepositPathIndex,
): (toolPath: string, kind?: 'file' | 'directory') => ResolvedToolPath {
  const index = asIndex(known);
  const own = new Map<string, ToolPathMatch | null>();
  const votes = new Map<string, PrefixMapping>();
  for (const p of toolPaths) {
    if (own.has(p)) continue;
    const m = relativiseToolPath(p, index);
    own.set(p, m);
    if (m === null) continue;
    const key = `${m.toolPrefix}\u0000${m.depositPrefix}`;
    const v = votes.get(key);
    if (v !== undefined) v.votes++;
    else {
      const abs = m.toolPrefix.startsWith('/');
      const tool = (abs ? m.toolPrefix.slice(1) : m.toolPrefix).split('/').filter((c) => c !== '');
      votes.set(key, { tool, absolute: abs, deposit: m.depositPrefix, votes: 1 });
    }
  }
  // Most-supported first; among equals, the longer tool prefix is the more specific.
  const mappings = [...votes.values()].sort((a, b) => b.votes - a.votes || b.tool.length - a.tool.length);
  return (toolPath, kind = 'file') => {
    const match = own.has(toolPath)
      ? own.get(toolPath)!
      : kind === 'file'
        ? relativiseToolPath(toolPath, index)
        : null;
    return resolveOne(toolPath, kind, match, mappings, index);
  };
}

function resolveOne(
  toolPath: string,
  kind: 'file' | 'directory',
  match: ToolPathMatch | null,
  mappings: PrefixMapping[],
  index: DepositPathIndex,
): ResolvedToolPath {
  const norm = normaliseToolPath(toolPath);
  const storageLocation = norm.absolute ? toolPath : null;
  const exists = (p: string) => (kind === 'file' ? index.files.has(p) : p === '' || index.directories.has(p));
  for (const m of mappings) {
    if (m.absolute !== norm.absolute || !startsWith(norm.components, m.tool)) continue;
    const rest = norm.components.slice(m.tool.length).join('/');
    const predicted = [m.deposit, rest].filter((s) => s !== '').join('/');
    // The file's own match beats a prediction of a file the deposit lacks, but only when it
    // covers the whole path below the run's prefix: sharing just a file name is not evidence.
    const restCount = norm.components.length - m.tool.length;
    if (!exists(predicted) && match !== null && match.sharedComponents >= restCount) break;
    return {
      toolPath,
      localPath: predicted,
      present: exists(predicted),
      originalName: norm.absolute ? rest : toolPath,
      storageLocation,
    };
  }
  if (match !== null) {
    const rest = norm.components.slice(splitCount(match.toolPrefix)).join('/');
    return {
      toolPath,
      localPath: match.localPath,
      present: true,
      originalName: norm.absolute ? rest : toolPath,
      storageLocation,
    };
  }
  return {
    toolPath,
    localPath: null,
    present: false,
    originalName: norm.absolute ? null : toolPath,
    storageLocation,
  };
}

function splitCount(prefix: string): number {
  return prefix.split('/').filter((c) => c !== '').length;
}

function startsWith(components: string[], prefix: string[]): boolean {
  if (prefix.length > components.length) return false;
  for (let i = 0; i < prefix.length; i++) if (components[i] !== prefix[i]) return false;
  return true;
}
