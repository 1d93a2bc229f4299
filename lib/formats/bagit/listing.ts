/**
 * The bag's file listing, indexed so that a manifest path can be found even when it was written
 * in another Unicode normalization (macOS writes NFD names) or letter case (a bag made on a
 * case-insensitive filesystem). Which of those matches counts is the manifest check's decision.
 */
import { caseKey, decodeBagPath, isPayloadPath, normalizationKey } from './paths.js';
import type { BagFile } from './source.js';

/** How a written path was found in the listing. */
export type MatchKind = 'exact' | 'decoded' | 'normalization' | 'case';

/** The listing path a written path resolves to, and how. */
export interface ListingMatch {
  path: string;
  how: MatchKind;
}

/** The listing of one bag, with lookups by exact, normalization-folded and case-folded path. */
export class BagListing {
  readonly files: ReadonlyMap<string, BagFile>;
  private readonly byNormalization = new Map<string, string>();
  private readonly byCase = new Map<string, string>();

  constructor(files: ReadonlyMap<string, BagFile>) {
    this.files = files;
    for (const path of files.keys()) {
      // First wins: two listing paths that fold together are both exact matches anyway.
      if (!this.byNormalization.has(normalizationKey(path)))
        this.byNormalization.set(normalizationKey(path), path);
      if (!this.byCase.has(caseKey(path))) this.byCase.set(caseKey(path), path);
    }
  }

  /** True when exactly this path is a file of the bag. */
  has(path: string): boolean {
    return this.files.has(path);
  }

  /**
   * Find `path`: exactly; else (pre-1.0 bags only, `tryDecoded`) after 1.0-style percent-decoding,
   * for tools that encoded ahead of the spec; else under another normalization; else another case.
   */
  find(path: string, tryDecoded: boolean): ListingMatch | null {
    if (this.files.has(path)) return { path, how: 'exact' };
    if (tryDecoded) {
      const decoded = decodeBagPath(path);
      if (decoded !== path && this.files.has(decoded)) return { path: decoded, how: 'decoded' };
    }
    const n = this.byNormalization.get(normalizationKey(path));
    if (n !== undefined) return { path: n, how: 'normalization' };
    const c = this.byCase.get(caseKey(path));
    return c === undefined ? null : { path: c, how: 'case' };
  }

  /** Payload files (under `data/`), sorted. */
  payloadPaths(): string[] {
    return [...this.files.keys()].filter(isPayloadPath).sort();
  }

  /** Tag files (everything outside `data/`), sorted. */
  tagPaths(): string[] {
    return [...this.files.keys()].filter((p) => !isPayloadPath(p)).sort();
  }
}
