/**
 * Early resolution: a mets:file whose ADMID sections have all been read (the usual order — METS
 * puts amdSecs before fileSec) has its PREMIS facts merged as soon as the file element closes,
 * and the section records it used are dropped then, instead of all of them living until the
 * last byte. On a 100,000-file METS this is what keeps the reader's working set well below the
 * model it builds (see bench/mets/README.md).
 *
 * Exactness: only sections holding a PREMIS object (which describes one file), and the amdSec
 * around them, are set aside; event-only and empty sections, which producers do share between
 * files, are kept. What is set aside is kept as compact JSON text (a fraction of the records'
 * heap), and revived when a later file or div names the same ID: the answer is the same
 * whatever the order of the sections. (A later direct reference to a section inside a set-aside
 * amdSec reads as UNRESOLVED_REFERENCE.)
 */
import type { CollectedMets } from './collector.js';
import { type MergedFacts, mergeFileFacts } from './file-facts.js';
import type { MetsFile, MetsProblem } from './model.js';
import { type HrefOptions, hrefToPath } from './paths.js';
import type { FileRecord, MdSectionRecord } from './records.js';

/**
 * A file entry built while parsing: the model entry itself (its name, physDivId and dmd values
 * are filled in at the end, from the structMap), the PREMIS original name the name depends on,
 * and the problems the merge found (reported when the file takes its place in the model).
 */
export interface EarlyFacts {
  model: MetsFile;
  originalName: string | null;
  problems: MetsProblem[];
}

/** A model entry from merged facts, before the structMap is known (one shape for both paths). */
export function newMetsFile(path: string, f: FileRecord, facts: MergedFacts, admIds: string[]): MetsFile {
  const file: MetsFile = {
    path,
    name: null,
    contentType: f.mimeType,
    size: facts.size,
    digests: facts.digests,
    format: facts.format,
    virusCheck: facts.virusCheck,
    // One ADMID is the common case: keep that very string rather than a joined copy.
    admId: admIds.length === 1 ? admIds[0]! : admIds.length ? admIds.join(' ') : null,
    physDivId: null,
    fileId: f.id,
  };
  if (facts.exif !== null) file.exif = facts.exif;
  return file;
}

const NO_PROBLEMS: MetsProblem[] = [];

/**
 * Merge a just-closed file's facts if every ADMID names a finished section, then drop those
 * sections. `open` is the ID of a section or amdSec still being read (never resolved early).
 * Returns null (and changes nothing) when the file must wait for the end of the document; else
 * clears the record's href when the path needs no report, and the caller its checksum and size.
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
    reviveSpent(c, id);
    const children = c.amdSecs.get(id);
    if (children) {
      for (const cid of children) pushSection(c, sections, cid);
    } else {
      const s = c.mdSections.get(id);
      if (!s) return null;
      if (!sections.includes(s)) sections.push(s);
    }
  }
  const loc = hrefToPath(f.href, hrefOptions(c));
  // An unsafe href is reported and dropped when the document ends (assemble.ts), never used.
  if (loc.unsafe !== undefined) return null;
  const problems: MetsProblem[] = [];
  const facts = mergeFileFacts(loc.path, f, sections, problems);
  release(c, f.admIds);
  // The href is needed again only for the problems an unusual one gets (assemble.ts).
  if (!loc.notRelative && !loc.badEscapes) f.href = null;
  return {
    model: newMetsFile(loc.path, f, facts, f.admIds),
    originalName: facts.originalName,
    problems: problems.length ? problems : NO_PROBLEMS,
  };
}

/**
 * How this document's hrefs are read: METS of the Finnish KDK / DPRES profiles write
 * `file://` before relative paths; elsewhere `file://host/...` names another machine.
 */
export function hrefOptions(c: Pick<CollectedMets, 'profile'>): HrefOptions {
  return { fileUriIsRelative: /kdk|digitalpreservation\.fi/i.test(c.profile ?? '') };
}

function pushSection(c: CollectedMets, out: MdSectionRecord[], id: string): void {
  const s = c.mdSections.get(id);
  if (s && !out.includes(s)) out.push(s);
}

/**
 * Set aside what these ADMIDs name once it is used, when it describes this file alone: an amdSec
 * or section holding a PREMIS object (an object is one file). Event-only sections are kept — one
 * virus check or migration event linked from many files is a real pattern (DPRES) — and so are
 * empty ones. What is set aside stays as JSON text in `spent`, for {@link reviveSpent}.
 */
function release(c: CollectedMets, ids: string[]): void {
  for (const id of ids) {
    const children = c.amdSecs.get(id);
    if (children) {
      if (!children.some((cid) => holdsObject(c.mdSections.get(cid)))) continue;
      c.amdSecs.delete(id);
      const sections: Record<string, MdSectionRecord> = {};
      for (const cid of children) {
        const s = c.mdSections.get(cid);
        if (isEmpty(s)) continue;
        sections[cid] = s!;
        c.mdSections.delete(cid);
      }
      c.spent.set(id, JSON.stringify({ children, sections }));
    } else {
      const s = c.mdSections.get(id);
      if (!holdsObject(s)) continue;
      c.mdSections.delete(id);
      c.spent.set(id, JSON.stringify({ sections: { [id]: s } }));
    }
  }
}

/**
 * Put back what {@link release} set aside under `id`, so another file naming it gets the same
 * facts the first one did. Objects come back with null prototypes, as the collector made them.
 */
export function reviveSpent(c: CollectedMets, id: string): void {
  const text = c.spent.get(id);
  if (text === undefined) return;
  c.spent.delete(id);
  const kept = JSON.parse(text, (_key, value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.assign(Object.create(null), value)
      : value,
  ) as { children?: string[]; sections: Record<string, MdSectionRecord> };
  for (const sid in kept.sections) c.mdSections.set(sid, kept.sections[sid]!);
  if (kept.children) c.amdSecs.set(id, kept.children);
}

function holdsObject(s: MdSectionRecord | undefined): boolean {
  return s !== undefined && s.objects.length > 0;
}

function isEmpty(s: MdSectionRecord | undefined): boolean {
  return s === undefined || (s.objects.length === 0 && s.events.length === 0);
}
