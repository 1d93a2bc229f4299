/**
 * `MetsDocument`: the editable in-memory form of a METS file Strongroom manages for a deposit.
 * Built from scratch for a new deposit (templates RootLevel / BagIt) or from a METS we wrote
 * earlier (`readMets` → `MetsDocument.fromModel`), edited with the operations the Preservation
 * API exposes (add or update files and folders, delete them, set access conditions and the
 * title), then serialised by writer.ts.
 *
 * Values are normalised on the way in exactly as the reader normalises them on the way out
 * (trimmed, whitespace collapsed where the reader collapses it), so that what we write reads
 * back to `toModel()`. Times are always the caller's: nothing here reads the clock.
 */
import { InvalidInputError, NotFoundError, UnsupportedError } from '../../core/errors.js';
import {
  describePathProblem,
  pathSafetyProblems,
  quoteForMessage,
  truncateForMessage,
} from '../../core/paths.js';
import { checkDigest } from './digests.js';
import { assignKeys, comparePaths, itemIds } from './ids.js';
import type { MetsDirectory, MetsFile, MetsFormat, MetsModel, MetsVirusCheck } from './model.js';
import { baseName, parentPath } from './paths.js';
import { STRONGROOM_AGENT } from './producer.js';
import { assertDateTime, assertXmlText } from './xml.js';

/** Deposit layouts (Preservation API `template`). The METS content is the same for both. */
export type MetsTemplate = 'RootLevel' | 'BagIt';

/** Where a template puts things, relative to the deposit root. */
export interface TemplateLayout {
  metsPath: string;
  /** Directories the template creates, parents first. */
  directories: string[];
  /** The folder METS paths are relative to ('' or 'data'). */
  base: string;
}

/** The layout of each template. */
export function templateLayout(template: MetsTemplate): TemplateLayout {
  if (template === 'BagIt') {
    return {
      metsPath: 'data/mets.xml',
      directories: ['data', 'data/objects', 'data/metadata'],
      base: 'data',
    };
  }
  return { metsPath: 'mets.xml', directories: ['objects', 'metadata'], base: '' };
}

/** A file as the document holds it. */
export interface DocumentFile {
  path: string;
  name: string;
  contentType: string | null;
  size: number | null;
  /** Algorithm → lowercase hex; SHA-256 under `sha256`. */
  digests: Record<string, string>;
  format: MetsFormat | null;
  virusCheck: MetsVirusCheck | null;
  accessRestrictions: string[];
  rightsStatement: string | null;
  /** EXIF tags (name → value), or null. */
  exif: Record<string, string> | null;
}

/** A directory as the document holds it. */
export interface DocumentDirectory {
  path: string;
  name: string;
  accessRestrictions: string[];
  rightsStatement: string | null;
}

/** What `addFile` accepts. Absent fields keep the current value (or the default for a new file). */
export interface FileUpdate {
  path: string;
  name?: string | null;
  contentType?: string | null;
  size?: number | null;
  /** SHA-256 hex (64 digits). */
  sha256?: string | null;
  /** Further digests by algorithm; each is length-checked. */
  digests?: Record<string, string>;
  format?: MetsFormat | null;
  virusCheck?: MetsVirusCheck | null;
  accessRestrictions?: string[];
  rightsStatement?: string | null;
  /**
   * EXIF tags (name → value as ExifTool printed it); null removes them. Values are trimmed; tags
   * whose name or value XML cannot carry, names over 256 characters and values over 4,096 are
   * left out, and past 1,000 tags only the first 1,000 by name are kept.
   */
  exif?: Record<string, string> | null;
}

/** Options for creating a document. */
export interface CreateOptions {
  title?: string | null;
  /** ISO 8601 creation time for metsHdr CREATEDATE; omitted when null. */
  created?: string | null;
}

/** True for a file entry (directories carry no digests). */
export function isDocumentFile(item: DocumentFile | DocumentDirectory): item is DocumentFile {
  return 'digests' in item;
}

/** The editable METS of one managed deposit. */
export class MetsDocument {
  private title_: string | null = null;
  private rootRestrictions: string[] = [];
  private rootRights: string | null = null;
  private created_: string | null = null;
  private lastModified_: string | null = null;
  private readonly fileMap = new Map<string, DocumentFile>();
  private readonly dirMap = new Map<string, DocumentDirectory>();

  /** A new document with the template folders `objects/` and `metadata/` (paths are METS-relative). */
  static create(options: CreateOptions = {}): MetsDocument {
    const doc = new MetsDocument();
    doc.setTitle(options.title ?? null);
    if (options.created) doc.created = options.created;
    doc.addDirectory('objects');
    doc.addDirectory('metadata');
    return doc;
  }

  /**
   * The document for a METS we wrote earlier. Throws UnsupportedError for a third-party METS
   * (`model.editable` false): those are read-only.
   */
  static fromModel(
    model: MetsModel,
    options: { created?: string | null; lastModified?: string | null } = {},
  ): MetsDocument {
    if (!model.editable) {
      throw new UnsupportedError(
        `METS written by ${model.producer.kind} is read-only; only Strongroom METS can be edited`,
      );
    }
    const doc = new MetsDocument();
    doc.setTitle(model.title);
    doc.rootRestrictions = normaliseList(model.accessRestrictions);
    doc.setRightsStatement('', model.rightsStatement);
    if (options.created) doc.created = options.created;
    if (options.lastModified) doc.lastModified = options.lastModified;
    for (const d of model.directories) doc.loadDirectory(d);
    for (const f of model.files) doc.loadFile(f);
    return doc;
  }

  /** The object's title, or null. */
  get title(): string | null {
    return this.title_;
  }

  /** Set the object's title (MODS titleInfo); null removes it. */
  setTitle(title: string | null): void {
    this.title_ = title === null ? null : collapse(assertXmlText(title, 'title')) || null;
  }

  /** metsHdr CREATEDATE (ISO 8601), or null to leave it out. */
  get created(): string | null {
    return this.created_;
  }

  /** Set CREATEDATE. Throws InvalidInputError unless an ISO 8601 date-time. */
  set created(value: string | null) {
    this.created_ = value === null ? null : assertDateTime(value, 'created');
  }

  /** metsHdr LASTMODDATE (ISO 8601), or null to leave it out. */
  get lastModified(): string | null {
    return this.lastModified_;
  }

  /** metsHdr LASTMODDATE; the caller sets it on each edit it wants recorded. */
  set lastModified(value: string | null) {
    this.lastModified_ = value === null ? null : assertDateTime(value, 'lastModified');
  }

  /** Files, sorted by path. */
  get files(): DocumentFile[] {
    return [...this.fileMap.values()].sort((a, b) => comparePaths(a.path, b.path));
  }

  /** Directories, sorted by path. */
  get directories(): DocumentDirectory[] {
    return [...this.dirMap.values()].sort((a, b) => comparePaths(a.path, b.path));
  }

  /** Root-level access restrictions and rights statement. */
  get root(): { accessRestrictions: string[]; rightsStatement: string | null } {
    return { accessRestrictions: [...this.rootRestrictions], rightsStatement: this.rootRights };
  }

  /** The file at a METS-relative path, if any. */
  getFile(path: string): DocumentFile | undefined {
    return this.fileMap.get(path);
  }

  /** The directory at a METS-relative path, if any. */
  getDirectory(path: string): DocumentDirectory | undefined {
    return this.dirMap.get(path);
  }

  /**
   * Add a file, or update the one at `update.path` (fields not given are kept). Parent
   * directories are added as needed. Throws InvalidInputError for a bad path or value, and when
   * a directory already has that path.
   */
  addFile(update: FileUpdate): DocumentFile {
    const path = checkPath(update.path);
    if (this.dirMap.has(path))
      throw new InvalidInputError(`"${path}" is a directory, not a file`, { key: path });
    const current = this.fileMap.get(path) ?? emptyFile(path);
    const next = applyUpdate(current, update);
    this.ensureParents(path);
    this.fileMap.set(path, next);
    return next;
  }

  /** Add a directory (and its parents); renames it when `name` is given. Idempotent. */
  addDirectory(path: string, options: { name?: string | null } = {}): DocumentDirectory {
    const p = checkPath(path);
    if (this.fileMap.has(p)) throw new InvalidInputError(`"${p}" is a file, not a directory`, { key: p });
    this.ensureParents(p);
    const existing = this.dirMap.get(p);
    const name = options.name == null ? (existing?.name ?? baseName(p)) : checkName(options.name);
    const dir = existing
      ? { ...existing, name }
      : { path: p, name, accessRestrictions: [], rightsStatement: null };
    this.dirMap.set(p, dir);
    return dir;
  }

  /** Remove a file and its metadata. Returns false when there was none. */
  deleteFile(path: string): boolean {
    return this.fileMap.delete(path);
  }

  /**
   * Remove an empty directory. Throws InvalidInputError while it still holds files or
   * directories (delete children first, as the API's delete operation does). False when absent.
   */
  deleteDirectory(path: string): boolean {
    if (!this.dirMap.has(path)) return false;
    const prefix = `${path}/`;
    const busy = [...this.fileMap.keys(), ...this.dirMap.keys()].some((p) => p.startsWith(prefix));
    if (busy) throw new InvalidInputError(`directory "${path}" is not empty`, { key: path });
    return this.dirMap.delete(path);
  }

  /** Set the access restrictions of the root (`''`), a directory or a file. NotFoundError for an unknown path. */
  setAccessRestrictions(path: string, restrictions: string[]): void {
    const list = normaliseList(restrictions);
    if (path === '') this.rootRestrictions = list;
    else this.item(path).accessRestrictions = list;
  }

  /** Set (or clear with null) the rights statement URI of the root (`''`), a directory or a file. */
  setRightsStatement(path: string, uri: string | null): void {
    const value = uri === null ? null : checkUri(uri);
    if (path === '') this.rootRights = value;
    else this.item(path).rightsStatement = value;
  }

  /** The model `readMets` returns for this document once written (IDs included). */
  toModel(): MetsModel {
    const keys = assignKeys([...this.fileMap.keys(), ...this.dirMap.keys()]);
    const files: MetsFile[] = this.files.map((f) => fileModel(f, keys.get(f.path)!));
    const directories: MetsDirectory[] = this.directories.map((d) => {
      const ids = itemIds(keys.get(d.path)!);
      const dir: MetsDirectory = { path: d.path, name: d.name, physDivId: ids.phys, admId: ids.adm };
      return withAccess(dir, d);
    });
    return {
      title: this.title_,
      accessRestrictions: [...this.rootRestrictions],
      rightsStatement: this.rootRights,
      files,
      directories,
      problems: [],
      producer: { kind: 'strongroom', agent: STRONGROOM_AGENT },
      editable: true,
    };
  }

  private item(path: string): DocumentFile | DocumentDirectory {
    const it = this.fileMap.get(path) ?? this.dirMap.get(path);
    if (!it) throw new NotFoundError(`"${path}" is not in the METS`, { key: path });
    return it;
  }

  private ensureParents(path: string): void {
    for (let p = parentPath(path); p !== ''; p = parentPath(p)) {
      if (this.fileMap.has(p)) throw new InvalidInputError(`"${p}" is a file, not a directory`, { key: p });
      if (this.dirMap.has(p)) break;
      this.dirMap.set(p, { path: p, name: baseName(p), accessRestrictions: [], rightsStatement: null });
    }
  }

  private loadDirectory(d: MetsDirectory): void {
    const dir = this.addDirectory(d.path, { name: d.name });
    dir.accessRestrictions = normaliseList(d.accessRestrictions ?? []);
    dir.rightsStatement = d.rightsStatement ?? null;
  }

  private loadFile(f: MetsFile): void {
    const { sha256, ...others } = f.digests;
    this.addFile({
      path: f.path,
      name: f.name,
      contentType: f.contentType,
      size: f.size,
      sha256: sha256 ?? null,
      digests: others,
      format: f.format,
      virusCheck: f.virusCheck,
      accessRestrictions: f.accessRestrictions ?? [],
      rightsStatement: f.rightsStatement ?? null,
      exif: f.exif ?? null,
    });
  }
}

function emptyFile(path: string): DocumentFile {
  return {
    path,
    name: baseName(path),
    contentType: null,
    size: null,
    digests: {},
    format: null,
    virusCheck: null,
    accessRestrictions: [],
    rightsStatement: null,
    exif: null,
  };
}

function applyUpdate(cur: DocumentFile, u: FileUpdate): DocumentFile {
  const next: DocumentFile = { ...cur, digests: { ...cur.digests } };
  if (u.name !== undefined) next.name = u.name === null ? baseName(cur.path) : checkName(u.name);
  if (u.contentType !== undefined) next.contentType = optionalText(u.contentType, 'contentType');
  if (u.size !== undefined) next.size = checkSize(u.size);
  if (u.digests !== undefined) for (const [alg, hex] of Object.entries(u.digests)) setDigest(next, alg, hex);
  if (u.sha256 !== undefined) {
    if (u.sha256 === null) delete next.digests.sha256;
    else setDigest(next, 'sha256', u.sha256);
  }
  if (u.format !== undefined) next.format = checkFormat(u.format);
  if (u.virusCheck !== undefined) next.virusCheck = checkVirus(u.virusCheck);
  if (u.accessRestrictions !== undefined) next.accessRestrictions = normaliseList(u.accessRestrictions);
  if (u.rightsStatement !== undefined)
    next.rightsStatement = u.rightsStatement === null ? null : checkUri(u.rightsStatement);
  if (u.exif !== undefined) next.exif = u.exif === null ? null : checkExif(u.exif);
  return next;
}

const MAX_EXIF_TAGS = 1000;
const MAX_EXIF_NAME = 256;
const MAX_EXIF_VALUE = 4096;
const NOT_XML_TEXT =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * EXIF tags as the reader gives them back. Tools print what the image holds, so a tag METS
 * cannot carry is left out rather than failing the whole edit; null when nothing is left.
 */
function checkExif(tags: Record<string, string>): Record<string, string> | null {
  const out: Record<string, string> = Object.create(null);
  const names = Object.keys(tags)
    .filter((n) => {
      const v = tags[n];
      return (
        typeof v === 'string' &&
        n.trim() === n &&
        n !== '' &&
        n.length <= MAX_EXIF_NAME &&
        v.trim().length <= MAX_EXIF_VALUE &&
        !NOT_XML_TEXT.test(n) &&
        !NOT_XML_TEXT.test(v)
      );
    })
    .sort(comparePaths)
    .slice(0, MAX_EXIF_TAGS);
  for (const n of names) out[n] = tags[n]!.trim();
  return names.length === 0 ? null : out;
}

function setDigest(file: DocumentFile, algorithm: string, hex: string): void {
  const v = checkDigest(algorithm, hex);
  if (!v.ok || v.relabelled || v.algorithm !== algorithm.toLowerCase()) {
    throw new InvalidInputError(`"${hex}" is not a valid ${algorithm} digest`, { key: file.path });
  }
  file.digests[v.algorithm] = v.hex;
}

/** A METS-relative path: no leading or trailing `/`, no empty, `.` or `..` segments, no controls. */
/** The one core path check (no `..`, nothing absolute, no backslash or control character). */
function checkPath(path: string): string {
  const problems = pathSafetyProblems(path);
  if (problems.length > 0) {
    const shown = typeof path === 'string' ? quoteForMessage(path) : typeof path;
    throw new InvalidInputError(`invalid METS path ${shown}: ${describePathProblem(problems[0]!)}`, {
      key: typeof path === 'string' ? truncateForMessage(path, 512) : String(path),
    });
  }
  return assertXmlText(path, 'path');
}

function checkName(name: string): string {
  if (name === '') throw new InvalidInputError('a name cannot be empty');
  return assertXmlText(name, 'name');
}

function checkSize(size: number | null): number | null {
  if (size === null) return null;
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidInputError(`invalid size ${size}`);
  return size;
}

function checkUri(uri: string): string {
  const u = uri.trim();
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(u))
    throw new InvalidInputError(`rights statement must be a URI, got "${uri}"`);
  return assertXmlText(u, 'rights statement');
}

function checkFormat(format: MetsFormat | null): MetsFormat | null {
  if (format === null) return null;
  const pronomKey = optionalText(format.pronomKey, 'PRONOM key');
  const name = optionalText(format.name, 'format name');
  return pronomKey === null && name === null ? null : { pronomKey, name };
}

function checkVirus(v: MetsVirusCheck | null): MetsVirusCheck | null {
  if (v === null) return null;
  if (!v.date) throw new InvalidInputError('a virus check needs the date it ran (PREMIS eventDateTime)');
  return {
    outcome: optionalText(v.outcome, 'virus check outcome'),
    detail: optionalText(v.detail, 'virus check detail'),
    date: assertDateTime(v.date.trim(), 'virus check date'),
    agent: optionalText(v.agent, 'virus check agent'),
    outcomeDetail: optionalText(v.outcomeDetail ?? null, 'virus check outcome detail'),
  };
}

/** Trimmed text, null when empty: what the reader gives back for a leaf element. */
function optionalText(value: string | null | undefined, what: string): string | null {
  if (value === null || value === undefined) return null;
  const t = assertXmlText(value, what).trim();
  return t === '' ? null : t;
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Restrictions as the reader returns them: whitespace collapsed, empties and repeats dropped. */
function normaliseList(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of list) {
    const v = collapse(assertXmlText(s, 'access restriction'));
    if (v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}

function fileModel(f: DocumentFile, key: string): MetsFile {
  const ids = itemIds(key);
  const file: MetsFile = {
    path: f.path,
    name: f.name,
    contentType: f.contentType,
    size: f.size,
    digests: { ...f.digests },
    format: f.format ? { ...f.format } : null,
    virusCheck: f.virusCheck ? { ...f.virusCheck } : null,
    admId: ids.adm,
    physDivId: ids.phys,
    fileId: ids.file,
  };
  if (f.exif) file.exif = { ...f.exif };
  return withAccess(file, f);
}

function withAccess<T extends MetsFile | MetsDirectory>(
  target: T,
  from: { accessRestrictions: string[]; rightsStatement: string | null },
): T {
  if (from.accessRestrictions.length) target.accessRestrictions = [...from.accessRestrictions];
  if (from.rightsStatement !== null) target.rightsStatement = from.rightsStatement;
  return target;
}
