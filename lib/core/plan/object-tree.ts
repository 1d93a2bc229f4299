/**
 * The resources of one version of a Fedora-shaped object, worked out from the logical paths of
 * its state alone (no header is read): a path `P` with a header `.fcrepo/P.json` is a Binary
 * when `P` is in the state, a Container when `P/fcr-container.nt` is, and a tombstone when
 * neither is. The object root's resource has the header `.fcrepo/fcr-root.json`.
 *
 * This is what a writer needs to check a change (does it exist, is it a container, is it
 * empty) without reading 100,000 headers to patch one file. Pure module.
 */

import { HEADER_DIR, ROOT_HEADER } from '../fedora/paths.js';
import type { InventoryVersion } from '../inventory.js';

/** What stands at a path. */
export type TreeEntryKind = 'container' | 'binary' | 'tombstone';

/** One resource of the tree. */
export interface TreeEntry {
  kind: TreeEntryKind;
  /** Digest (inventory algorithm) of the content logical path (binary) or RDF (container). */
  contentDigest?: string;
  /** Digest of its header file. */
  headerDigest: string;
}

/** The resources of one version, by path relative to the object root (`''` is the root). */
export class ObjectTree {
  /** path → entry, for every resource with a header (tombstones included). */
  readonly entries = new Map<string, TreeEntry>();
  /** container path → paths of its live direct children. */
  private readonly children = new Map<string, Set<string>>();

  /** Build from a version's state (`digest → logical paths`). An absent state is an empty object. */
  static fromState(state: InventoryVersion['state'] | undefined): ObjectTree {
    const tree = new ObjectTree();
    const byPath = new Map<string, string>();
    if (state) for (const digest in state) for (const p of state[digest]!) byPath.set(p, digest);
    for (const [logical, headerDigest] of byPath) {
      if (!logical.startsWith(HEADER_DIR) || !logical.endsWith('.json')) continue;
      if (/~fcr-(desc|acl)\.json$/.test(logical)) continue;
      const path = logical === ROOT_HEADER ? '' : logical.slice(HEADER_DIR.length, -'.json'.length);
      const rdf = path === '' ? 'fcr-container.nt' : `${path}/fcr-container.nt`;
      let entry: TreeEntry;
      if (byPath.has(rdf)) entry = { kind: 'container', contentDigest: byPath.get(rdf)!, headerDigest };
      else if (path !== '' && byPath.has(path))
        entry = { kind: 'binary', contentDigest: byPath.get(path)!, headerDigest };
      else entry = { kind: 'tombstone', headerDigest };
      tree.entries.set(path, entry);
    }
    for (const [path, entry] of tree.entries) if (entry.kind !== 'tombstone' && path !== '') tree.link(path);
    return tree;
  }

  /** The entry at `path`, if any (tombstones included). */
  get(path: string): TreeEntry | undefined {
    return this.entries.get(path);
  }

  /** True when a live resource (not a tombstone) stands at `path`. */
  isLive(path: string): boolean {
    const e = this.entries.get(path);
    return e !== undefined && e.kind !== 'tombstone';
  }

  /** Live direct children of container `path`. */
  childrenOf(path: string): ReadonlySet<string> {
    return this.children.get(path) ?? EMPTY;
  }

  /** Put or replace a resource, keeping the children index. */
  set(path: string, entry: TreeEntry): void {
    const wasLive = this.isLive(path);
    this.entries.set(path, entry);
    if (path === '') return;
    if (entry.kind === 'tombstone' && wasLive) this.unlink(path);
    else if (entry.kind !== 'tombstone' && !wasLive) this.link(path);
  }

  private link(path: string): void {
    const parent = parentOf(path);
    const set = this.children.get(parent);
    if (set) set.add(path);
    else this.children.set(parent, new Set([path]));
  }

  private unlink(path: string): void {
    this.children.get(parentOf(path))?.delete(path);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** The parent path of `path` (`''` for top-level paths). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
