/**
 * After the last byte: resolve the collected records' references (FILEID, ADMID, DMDID) into the
 * MetsModel. Pure; all problems are collected, nothing is thrown.
 *
 * - A file's metadata sections come from its own ADMID (newer Goobi, Archivematica, EPrints,
 *   Leeds); when it has none, from the ADMID of the div pointing at it — but only for the first
 *   fptr of that div (older Goobi puts the image's techMD on the page div that also points at the
 *   ALTO file).
 * - An ADMID may name an amdSec (meaning all its sections) or a single section.
 * - A file's name: its PREMIS originalName when that records a different name than the stored
 *   one (Archivematica and DSpace rename files on ingest); else the LABEL of a div that points
 *   at this file alone; else the originalName's last segment; else null.
 * - Root-level title and access conditions come from the dmdSecs of the top divs of the
 *   structMaps (and of the div standing for the root folder); the title falls back to the first
 *   dmdSec that no file-level div uses.
 */

import { quoteForMessage } from '../../core/paths.js';
import type { CollectedMets } from './collector.js';
import { deriveDirectories, type PlacedFile } from './directories.js';
import { hrefOptions, newMetsFile, reviveSpent } from './early.js';
import { mergeFileFacts } from './file-facts.js';
import type { MetsFile, MetsModel, MetsProblem } from './model.js';
import { baseName, type HrefPath, hrefToPath, stripPlaceholder } from './paths.js';
import { problem } from './problems.js';
import { detectProducer } from './producer.js';
import {
  type DivRecord,
  type DmdRecord,
  type FileRecord,
  isDirectoryType,
  type MdSectionRecord,
} from './records.js';

/** Build the model from a finished collection. */
export function assemble(c: CollectedMets): MetsModel {
  const problems: MetsProblem[] = [...c.problems];
  const producer = detectProducer(c);
  const model: MetsModel = {
    title: null,
    accessRestrictions: [],
    rightsStatement: null,
    files: [],
    directories: [],
    problems,
    producer,
    editable: producer.kind === 'strongroom',
  };
  if (c.metsDocuments === 0) {
    problems.push(problem('NOT_METS', `the root element <${c.rootLocal ?? '?'}> holds no METS document`));
    return model;
  }
  if (c.metsDocuments > 1) {
    problems.push(
      problem('MULTIPLE_METS_DOCUMENTS', `${c.metsDocuments} METS documents were read into one model`),
    );
  }
  const ctx = new Resolver(c, problems);
  const placed = buildFiles(c, ctx, model.files);
  const dirs = deriveDirectories(c.divs, placed, (d) => ctx.originalName(d.admIds));
  model.directories = dirs.directories;
  problems.push(...dirs.problems);
  const dirByPath = new Map(model.directories.map((d) => [d.path, d]));
  for (const [i, p] of [...dirs.divPaths].sort((a, b) => b[0] - a[0])) {
    // Visited last-to-first so that the first div for a path has the final say.
    const d = dirByPath.get(p);
    if (d) applyDmd(d, ctx.dmds(c.divs[i]!.dmdIds));
  }
  const rootDivDmds = [...dirs.divPaths].filter(([, p]) => p === '').flatMap(([i]) => c.divs[i]!.dmdIds);
  rootLevel(model, c, ctx, [...c.topDmdIds, ...rootDivDmds, ...c.otherTopDmdIds]);
  return model;
}

/** Resolves IDs to records, reporting each unresolved reference once. */
class Resolver {
  readonly fileDiv = new Map<string, { index: number; first: boolean }>();
  private reported = new Set<string>();
  /** How many files and divs name each ADMID: sections are dropped after their last use. */
  private readonly uses = new Map<string, number>();

  constructor(
    private readonly c: CollectedMets,
    readonly problems: MetsProblem[],
  ) {
    c.divs.forEach((div, index) => {
      div.fileIds.forEach((id, k) => {
        if (!this.fileDiv.has(id)) this.fileDiv.set(id, { index, first: k === 0 });
      });
    });
    const count = (id: string) => this.uses.set(id, (this.uses.get(id) ?? 0) + 1);
    for (const f of c.files) if (!f.early) for (const id of f.admIds) count(id);
    for (const d of c.divs) for (const id of d.admIds) count(id);
  }

  /**
   * A file is done with these ADMIDs: drop sections nothing else names, so that the records of
   * a large METS are freed while the model is being built rather than after.
   */
  release(ids: string[]): void {
    for (const id of ids) {
      const left = (this.uses.get(id) ?? 0) - 1;
      if (left > 0) {
        this.uses.set(id, left);
        continue;
      }
      this.uses.delete(id);
      const children = this.c.amdSecs.get(id);
      if (children) {
        this.c.amdSecs.delete(id);
        for (const child of children) if (!this.uses.has(child)) this.c.mdSections.delete(child);
      } else {
        this.c.mdSections.delete(id);
      }
    }
  }

  sections(ids: string[], path: string): MdSectionRecord[] {
    const out: MdSectionRecord[] = [];
    for (const id of ids) {
      reviveSpent(this.c, id);
      const children = this.c.amdSecs.get(id);
      if (children) for (const cid of children) this.pushSection(out, cid);
      else if (this.c.mdSections.has(id)) this.pushSection(out, id);
      else this.unresolved('ADMID', id, path);
    }
    return out;
  }

  private pushSection(out: MdSectionRecord[], id: string): void {
    const s = this.c.mdSections.get(id);
    if (s && !out.includes(s)) out.push(s);
  }

  originalName(ids: string[]): string | null {
    for (const id of ids) {
      reviveSpent(this.c, id);
      const secs = this.c.amdSecs.get(id)?.map((x) => this.c.mdSections.get(x)) ?? [
        this.c.mdSections.get(id),
      ];
      for (const s of secs) for (const o of s?.objects ?? []) if (o.originalName) return o.originalName;
    }
    return null;
  }

  dmds(ids: string[]): DmdRecord[] {
    return ids.map((id) => this.c.dmds.get(id)).filter((d): d is DmdRecord => d !== undefined);
  }

  unresolved(kind: string, id: string, path?: string): void {
    const key = `${kind} ${id}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push(
      problem('UNRESOLVED_REFERENCE', `${kind} ${quoteForMessage(id, 80)} names no element`, path),
    );
  }
}

function buildFiles(c: CollectedMets, ctx: Resolver, out: MetsFile[]): PlacedFile[] {
  const ids = new Set<string>();
  for (const f of c.files) {
    if (f.id !== null && ids.has(f.id)) {
      ctx.problems.push(
        problem(
          'DUPLICATE_ID',
          `mets:file ID ${quoteForMessage(f.id, 80)} is used more than once`,
          null,
          f.at,
        ),
      );
      f.id = null;
    } else if (f.id !== null) {
      ids.add(f.id);
    }
  }
  for (const id of ctx.fileDiv.keys()) if (!ids.has(id)) ctx.unresolved('FILEID', id);
  ids.clear();
  const seen = new Set<string>();
  const placed: PlacedFile[] = [];
  for (let i = 0; i < c.files.length; i++) {
    const file = buildFile(c, ctx, c.files[i]!, seen);
    c.files[i] = RELEASED; // the record is not needed again: let it go now
    if (!file) continue;
    out.push(file.model);
    placed.push({ path: file.model.path, divIndex: file.divIndex, relative: file.relative });
  }
  return placed;
}

/** Stands in for file records already turned into model entries. */
const RELEASED: FileRecord = {
  id: null,
  href: null,
  at: 0,
  mimeType: null,
  size: null,
  checksum: null,
  checksumType: null,
  admIds: [],
  dmdIds: [],
};

function buildFile(
  c: CollectedMets,
  ctx: Resolver,
  f: FileRecord,
  seen: Set<string>,
): { model: MetsFile; divIndex: number; relative: boolean } | null {
  const problems = ctx.problems;
  if (!f.early && (f.href === null || f.href.trim() === '')) {
    problems.push(
      problem(
        'MISSING_LOCATION',
        `mets:file ${quoteForMessage(f.id ?? '(no ID)', 80)} has no FLocat href; skipped`,
        null,
        f.at,
      ),
    );
    return null;
  }
  // An early entry whose href was dropped had a plain relative path.
  const loc: HrefPath = f.href === null ? { path: f.early!.model.path } : hrefToPath(f.href, hrefOptions(c));
  const shown = f.href === null ? '' : quoteForMessage(f.href, 120);
  if (loc.unsafe !== undefined) {
    // The path is never used: not in the model, not as a key, not in the problem's `path`.
    problems.push(
      problem(
        'UNSAFE_PATH',
        `mets:file ${quoteForMessage(f.id ?? '(no ID)', 80)} href ${shown} is not a safe relative path (${loc.unsafe}); skipped`,
        null,
        f.at,
      ),
    );
    return null;
  }
  if (loc.notRelative)
    problems.push(problem('NOT_RELATIVE_PATH', `href ${shown} is not relative`, loc.path, f.at));
  if (loc.badEscapes)
    problems.push(
      problem('BAD_PERCENT_ENCODING', `href ${shown} has %-escapes that are not UTF-8`, loc.path, f.at),
    );
  if (seen.has(loc.path)) {
    problems.push(
      problem(
        'DUPLICATE_PATH',
        `a second mets:file (${quoteForMessage(f.id ?? 'no ID', 80)}) for the same path; skipped`,
        loc.path,
        f.at,
      ),
    );
    return null;
  }
  seen.add(loc.path);
  const where = f.id ? ctx.fileDiv.get(f.id) : undefined;
  const div: DivRecord | undefined = where ? c.divs[where.index] : undefined;
  const itemDiv = div && !isDirectoryType(div.type) ? div : undefined;
  const admIds = f.admIds.length ? f.admIds : itemDiv && where?.first ? itemDiv.admIds : [];
  let model: MetsFile;
  let originalName: string | null;
  if (f.early && admIds === f.admIds) {
    ({ model, originalName } = f.early);
    problems.push(...f.early.problems);
    model.fileId = f.id; // null when the ID turned out to be a duplicate
  } else {
    const facts = mergeFileFacts(loc.path, f, ctx.sections(admIds, loc.path), problems);
    ctx.release(admIds);
    model = newMetsFile(loc.path, f, facts, admIds);
    originalName = facts.originalName;
  }
  const label = itemDiv && itemDiv.fileIds.length === 1 ? itemDiv.label : null;
  model.name = chooseName(loc.path, label, originalName);
  model.physDivId = itemDiv?.id ?? null;
  applyDmd(model, ctx.dmds([...(itemDiv?.dmdIds ?? []), ...f.dmdIds]));
  return { model, divIndex: where?.index ?? -1, relative: !loc.notRelative };
}

function chooseName(path: string, label: string | null, originalName: string | null): string | null {
  const orig = originalName ? stripPlaceholder(originalName) : null;
  if (orig && baseName(orig) !== baseName(path) && baseName(orig) !== '') return baseName(orig);
  if (label) return label;
  return orig ? baseName(orig) || null : null;
}

/** Copy access restrictions / rights from dmdSecs onto a file or directory (only when present). */
function applyDmd(
  target: { accessRestrictions?: string[]; rightsStatement?: string | null },
  dmds: DmdRecord[],
): void {
  const restrictions = [...new Set(dmds.flatMap((d) => d.accessRestrictions))];
  const rights = dmds.find((d) => d.rightsStatement !== null)?.rightsStatement ?? null;
  if (restrictions.length) target.accessRestrictions = restrictions;
  if (rights !== null) target.rightsStatement = rights;
}

function rootLevel(model: MetsModel, c: CollectedMets, ctx: Resolver, rootIds: string[]): void {
  const rootDmds = ctx.dmds([...new Set(rootIds)]);
  model.accessRestrictions = [...new Set(rootDmds.flatMap((d) => d.accessRestrictions))];
  model.rightsStatement = rootDmds.find((d) => d.rightsStatement !== null)?.rightsStatement ?? null;
  const fileLevel = new Set<string>();
  for (const d of c.divs)
    if (d.fileIds.length && !isDirectoryType(d.type)) for (const id of d.dmdIds) fileLevel.add(id);
  for (const f of c.files) for (const id of f.dmdIds) fileLevel.add(id);
  const candidates = [...rootDmds, ...ctx.dmds(c.dmdOrder.filter((id) => !fileLevel.has(id)))];
  model.title =
    candidates.find((d) => d.title !== null)?.title ??
    candidates.find((d) => d.nameFallback !== null)?.nameFallback ??
    null;
}
