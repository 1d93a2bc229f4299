/**
 * Early resolution: a mets:file whose ADMID sections have all been read (the usual order — METS
 * puts amdSecs before fileSec) has its PREMIS facts merged as soon as the file element closes,
 * and the section records it used are dropped then, instead of all of them living until the
 * last byte. On a 100,000-file METS this is what keeps the reader's working set well below the
 * model it builds (see bench/mets/README.md).
 *
 * Exactness: a PREMIS object or event section describes one file, so dropping it after its file
 * is safe in practice. Sections that hold nothing we use (rights statements and the like, often
 * shared by many files) are shared empty records and are never dropped. If a later file or div
 * names an ADMID whose sections were already used and dropped, the reference is reported as
 * `SECTION_RELEASED` (problems.ts) rather than silently resolving to nothing.
 */
import type { CollectedMets } from './collector.js';
import { type MergedFacts, mergeFileFacts } from './file-facts.js';
import type { MetsProblem } from './model.js';
import { hrefToPath } from './paths.js';
import type { FileRecord, MdSectionRecord } from './records.js';

/** Facts merged while parsing, with the problems the merge found (reported when the file is built). */
export interface EarlyFacts {
  facts: MergedFacts;
  problems: MetsProblem[];
}

const NO_PROBLEMS: MetsProblem[] = [];

/**
 * Merge a just-closed file's facts if every ADMID names a finished section, then drop those
 * sections. `open` is the ID of a section or amdSec still being read (never resolved early).
 * Returns null (and changes nothing) when the file must wait for the end of the document.
 */
export function resolveEarly(
  c: CollectedMets,
  f: FileRecord,
  open: (id: string) => boolean,
): EarlyFacts | null {
  if (f.admIds.length === 0 || f.href === null || f.href.trim() === '') return null;
  const sections: MdSectionRecord[] = [];
  for (const id of f.admIds) {
    if (open(id)) return null;
    const children = c.amdSecs.get(id);
    if (children) {
      for (const cid of children) pushSection(c, sections, cid);
    } else {
      const s = c.mdSections.get(id);
      if (!s) return null;
      if (!sections.includes(s)) sections.push(s);
    }
  }
  const problems: MetsProblem[] = [];
  const facts = mergeFileFacts(hrefToPath(f.href).path, f, sections, problems);
  release(c, f.admIds);
  return { facts, problems: problems.length ? problems : NO_PROBLEMS };
}

function pushSection(c: CollectedMets, out: MdSectionRecord[], id: string): void {
  const s = c.mdSections.get(id);
  if (s && !out.includes(s)) out.push(s);
}

/** Drop the non-empty sections these ADMIDs name; remember the IDs so a reuse is reported. */
function release(c: CollectedMets, ids: string[]): void {
  for (const id of ids) {
    const children = c.amdSecs.get(id);
    if (children) {
      if (children.every((cid) => isEmpty(c.mdSections.get(cid)))) continue;
      c.amdSecs.delete(id);
      for (const cid of children) if (!isEmpty(c.mdSections.get(cid))) c.mdSections.delete(cid);
      c.spent.add(id);
    } else if (!isEmpty(c.mdSections.get(id))) {
      c.mdSections.delete(id);
      c.spent.add(id);
    }
  }
}

function isEmpty(s: MdSectionRecord | undefined): boolean {
  return s !== undefined && s.objects.length === 0 && s.events.length === 0;
}
