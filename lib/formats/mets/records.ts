/**
 * The compact records the streaming reader keeps while it parses: only the values the model
 * needs, keyed by METS ID, so that references (ADMID, DMDID, FILEID) can be resolved after the
 * last byte without holding a DOM. For a 100,000-file METS this is a few small objects per file.
 */
import type { EarlyFacts } from './early.js';
import type { MetsFormat } from './model.js';
import type { SourcePosition } from './problems.js';

/** A digest as written, before it is checked (see digests.ts). */
export interface DigestCandidate {
  label: string | null;
  value: string;
  at: SourcePosition;
}

/** What one PREMIS object says about a file. */
export interface PremisObjectRecord {
  digests: DigestCandidate[];
  size: { value: string; at: SourcePosition } | null;
  format: MetsFormat | null;
  originalName: string | null;
  /** EXIF tags the platform recorded (objectCharacteristicsExtension), or null. */
  exif: Record<string, string> | null;
}

/** A PREMIS event we care about: virus checks and message-digest calculations. */
export interface PremisEventRecord {
  type: string;
  date: string | null;
  detail: string | null;
  outcome: string | null;
  outcomeDetail: string | null;
  agent: string | null;
  at: SourcePosition;
}

/** A techMD / digiprovMD / rightsMD / sourceMD section. */
export interface MdSectionRecord {
  objects: PremisObjectRecord[];
  events: PremisEventRecord[];
}

/** A dmdSec: title and access conditions (MODS, DC, DDI). */
export interface DmdRecord {
  title: string | null;
  /** Leeds API METS put the object's name in a bare `<mods:name>` when it had no title. */
  nameFallback: string | null;
  accessRestrictions: string[];
  rightsStatement: string | null;
}

/** A mets:file element. */
export interface FileRecord {
  id: string | null;
  href: string | null;
  at: SourcePosition;
  mimeType: string | null;
  size: string | null;
  checksum: string | null;
  checksumType: string | null;
  admIds: string[];
  dmdIds: string[];
  /** Facts merged as soon as the file closed (early.ts); its checksum and size are then cleared. */
  early?: EarlyFacts;
}

/** A div of the structMap chosen for paths and names. */
export interface DivRecord {
  id: string | null;
  type: string | null;
  label: string | null;
  admIds: string[];
  dmdIds: string[];
  /** Index of the parent div in the same structMap, -1 at the top. */
  parent: number;
  fileIds: string[];
}

/**
 * Make an attribute value compact before keeping it. sax builds attribute values one character
 * at a time, which V8 holds as a chain of cons strings (~1 KB for a 50-character path); reading
 * a character flattens the chain in place into one plain string.
 */
export function flatten(s: string): string {
  if (s.length >= 13) s.charCodeAt(0);
  return s;
}

/**
 * A copy of captured text that shares nothing with the input: sax hands out text as slices of
 * the 64 KiB chunk being parsed, and a kept slice would pin the whole chunk in memory.
 */
export function copyText(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

const interned = new Map<string, string>();

/**
 * One shared copy of a short value that repeats across files (MIME types, format names and
 * keys, algorithm labels, event types, dates, outcomes, agents): a 100,000-file METS says
 * "Tagged Image File Format" 100,000 times. The table is capped, so hostile input cannot grow it.
 */
export function intern(s: string): string {
  if (s.length > 64) return s;
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  if (interned.size < 4096) interned.set(s, s);
  return s;
}

/** The shared empty ID list (never mutated). */
const NO_IDS: string[] = [];

/**
 * Split an IDREFS attribute value. The Leeds API writes IDs containing spaces (built from
 * paths), so a whole value that is itself a known ID is taken as one reference. Metadata
 * sections precede fileSec and structMap in METS, so their IDs are known by then.
 */
export function idRefs(value: string | undefined | null, known?: { has(id: string): boolean }): string[] {
  if (!value) return NO_IDS;
  if (known?.has(value)) return [value];
  return value.split(/\s+/).filter((s) => s !== '');
}

/** True for div TYPEs that mean a directory (Archivematica "Directory", "directory", "folder"). */
export function isDirectoryType(type: string | null): boolean {
  if (!type) return false;
  const t = type.toLowerCase();
  return t === 'directory' || t === 'folder';
}
