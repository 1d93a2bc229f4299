/**
 * The changes that make an Archival Group's next version mirror a set of files: add what is new,
 * patch what differs, delete what is gone, create the folders the new files need and delete the
 * folders left empty. Files are compared by SHA-256 only (names are paths), so an unchanged file
 * is never touched and a moved file is a delete plus an add whose bytes the planner finds already
 * stored (never copied again).
 *
 * Pure module.
 */
import type { ObjectChange } from './changes.js';
import { parentOf } from './object-tree.js';

/** A file of the source: where its bytes are and their SHA-256. */
export interface MirrorSourceFile {
  /** Path relative to the group (`/`-separated). */
  path: string;
  sha256: string;
  size?: number;
  /** Location URI of the bytes. */
  source: string;
  contentType?: string;
}

/** The group's current content: binary path → SHA-256, and its container paths. */
export interface MirrorCurrent {
  binaries: ReadonlyMap<string, string | undefined>;
  containers: ReadonlySet<string>;
}

/** Every folder on the way to `path` (`a/b/c` → `a`, `a/b`). */
function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = parentOf(path);
  while (p !== '') {
    out.push(p);
    p = parentOf(p);
  }
  return out.reverse();
}

/**
 * The changes, in an order a transaction accepts: new containers (shallow first), adds and
 * patches, deleted binaries, then emptied containers (deep first). An empty list means the group
 * already mirrors the files.
 */
export function mirrorChanges(current: MirrorCurrent, files: readonly MirrorSourceFile[]): ObjectChange[] {
  const wantedContainers = new Set<string>();
  for (const f of files) for (const a of ancestors(f.path)) wantedContainers.add(a);
  const incoming = new Map(files.map((f) => [f.path, f]));
  const changes: ObjectChange[] = [];
  for (const c of [...wantedContainers].sort(byDepthThenName)) {
    if (!current.containers.has(c)) changes.push({ op: 'createContainer', path: c });
  }
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (current.binaries.has(f.path) && current.binaries.get(f.path) === f.sha256) continue;
    changes.push({
      op: 'putBinary',
      path: f.path,
      source: f.source,
      sha256: f.sha256,
      ...(f.size !== undefined && { size: f.size }),
      ...(f.contentType !== undefined && { contentType: f.contentType }),
    });
  }
  for (const path of [...current.binaries.keys()].sort()) {
    if (!incoming.has(path)) changes.push({ op: 'delete', path });
  }
  for (const c of [...current.containers].sort(byDepthThenName).reverse()) {
    if (!wantedContainers.has(c)) changes.push({ op: 'delete', path: c });
  }
  return changes;
}

function byDepthThenName(a: string, b: string): number {
  return a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0);
}
