/**
 * The SAX side of the METS reader: turns namespace-resolved element events into the compact
 * records of records.ts. It keeps no tree: an element stack of (vocabulary, local name), the
 * metadata section being read, the file being read, and the divs of one structMap.
 *
 * structMap choice: files take their names and directories from one structMap — the first
 * PHYSICAL one, else the first untyped one, else the first of any type (DSpace writes only
 * LOGICAL ones). Only that structMap's divs are kept; the top divs of every structMap are kept
 * for finding the object's own descriptive metadata.
 */
import type { QualifiedAttribute, QualifiedTag } from 'sax';
import { quoteForMessage } from '../../core/paths.js';
import { resolveEarly } from './early.js';
import { DmdCollector, MdSectionCollector } from './md-collector.js';
import type { MetsProblem } from './model.js';
import { NS, type Vocabulary, vocabulary } from './namespaces.js';
import { problem, type SourcePosition } from './problems.js';
import {
  copyText,
  type DivRecord,
  type DmdRecord,
  type FileRecord,
  flatten,
  idRefs,
  intern,
  type MdSectionRecord,
} from './records.js';

/** Longest text kept for one captured element (titles, names, digests). */
const MAX_TEXT = 65536;

/**
 * Deepest structMap div nesting read. Deeper divs are skipped and reported once: a directory
 * path costs its whole length at every level, so unbounded nesting would grow the model with
 * the square of the depth. Real structMaps nest a few levels to a few dozen.
 */
export const MAX_DIV_DEPTH = 64;

interface Frame {
  vocab: Vocabulary;
  local: string;
}

interface StructMapDraft {
  rank: number;
  keep: boolean;
  divs: DivRecord[];
  stack: number[];
  depth: number;
  /** Divs open below {@link MAX_DIV_DEPTH} (not recorded). */
  skipped: number;
}

/** The record of every metadata section that holds nothing we use (shared, never mutated). */
const EMPTY_SECTION: MdSectionRecord = Object.freeze({
  objects: [],
  events: [],
}) as unknown as MdSectionRecord;

/** A creator agent from metsHdr. */
export interface AgentRecord {
  role: string | null;
  otherType: string | null;
  name: string | null;
  note: string | null;
}

/** Everything collected from one document. */
export interface CollectedMets {
  metsDocuments: number;
  rootIsMets: boolean;
  rootLocal: string | null;
  profile: string | null;
  agents: AgentRecord[];
  structMapLabels: string[];
  /** PREMIS agent names seen (a few, distinct): producers that write no metsHdr agent name themselves here. */
  premisAgents: Set<string>;
  mdTypes: Set<string>;
  dmds: Map<string, DmdRecord>;
  /** dmdSec IDs in document order. */
  dmdOrder: string[];
  amdSecs: Map<string, string[]>;
  mdSections: Map<string, MdSectionRecord>;
  /**
   * ADMIDs whose sections were used by a file and set aside (early.ts), each with those sections
   * as compact JSON text, revived if another file names the same ID.
   */
  spent: Map<string, string>;
  files: FileRecord[];
  divs: DivRecord[];
  /** DMDIDs of the top divs of the chosen structMap, then of every other structMap. */
  topDmdIds: string[];
  otherTopDmdIds: string[];
  problems: MetsProblem[];
}

/** Receives SAX events (xmlns mode) and builds a CollectedMets. */
export class MetsCollector {
  readonly out: CollectedMets = {
    metsDocuments: 0,
    rootIsMets: false,
    rootLocal: null,
    profile: null,
    agents: [],
    structMapLabels: [],
    premisAgents: new Set(),
    mdTypes: new Set(),
    dmds: new Map(),
    dmdOrder: [],
    amdSecs: new Map(),
    mdSections: new Map(),
    spent: new Map(),
    files: [],
    divs: [],
    topDmdIds: [],
    otherTopDmdIds: [],
    problems: [],
  };
  private stack: Frame[] = [];
  private metsDepth = 0;
  private capture: { text: string; depth: number; hadChildren: boolean } | null = null;
  private agent: AgentRecord | null = null;
  private dmd: { id: string; collector: DmdCollector } | null = null;
  private amdSecId: string | null = null;
  private md: {
    id: string | null;
    superseded: boolean;
    collector: MdSectionCollector;
    depth: number;
  } | null = null;
  private file: FileRecord | null = null;
  private structMap: StructMapDraft | null = null;
  private bestRank = 0;
  private reportedDepth = false;
  /** The ID of the dmdSec or metadata section being read (stored when it closes). */
  private openId: string | null = null;
  /** IDs seen so far, looked up in the records themselves rather than kept a second time. */
  private readonly known = {
    has: (id: string): boolean =>
      this.openId === id ||
      this.out.mdSections.has(id) ||
      this.out.amdSecs.has(id) ||
      this.out.dmds.has(id) ||
      this.out.spent.has(id),
  };

  constructor(private readonly position: () => SourcePosition) {}

  /** sax `opentag` (xmlns: true). */
  openTag(tag: QualifiedTag): void {
    const vocab = vocabulary(tag.uri);
    const parent = this.stack[this.stack.length - 1];
    if (this.stack.length === 0) {
      this.out.rootLocal = tag.local;
      this.out.rootIsMets = vocab === 'mets' && tag.local === 'mets';
    }
    this.stack.push({ vocab, local: tag.local });
    if (this.capture) this.capture.hadChildren = true;
    if (vocab === 'mets' && tag.local === 'mets') this.openMets(tag);
    if (this.metsDepth === 0) return;
    const depth = this.stack.length;
    let capture = false;
    if (vocab === 'mets') capture = this.openMetsElement(tag, parent);
    else if (this.md)
      capture = this.md.collector.open(vocab, tag.local, depth, this.position, (name) => attr(tag, name));
    else if (this.dmd)
      capture = this.dmd.collector.open(vocab, tag.local, parent?.local ?? '', dmdAttrs(tag));
    if (capture && !this.capture) this.capture = { text: '', depth, hadChildren: false };
  }

  /** sax `text` / `cdata`. */
  text(t: string): void {
    if (this.capture && this.capture.text.length < MAX_TEXT) this.capture.text += t;
  }

  /** sax `closetag`. */
  closeTag(): void {
    const depth = this.stack.length;
    const frame = this.stack.pop();
    if (!frame) return;
    if (this.capture && this.capture.depth === depth) {
      const c = this.capture;
      this.capture = null;
      this.leaf(frame, c.text, c.hadChildren);
    }
    if (this.metsDepth === 0) return;
    if (frame.vocab === 'mets') this.closeMetsElement(frame.local, depth);
    else if (this.md) this.md.collector.close(frame.vocab, frame.local, depth);
    else if (this.dmd) this.dmd.collector.close(frame.vocab, frame.local);
  }

  private openMets(tag: QualifiedTag): void {
    if (this.metsDepth > 0) return;
    this.metsDepth = this.stack.length;
    this.out.metsDocuments += 1;
    this.out.profile ??= attr(tag, 'PROFILE');
  }

  private leaf(frame: Frame, text: string, hadChildren: boolean): void {
    if (frame.vocab === 'mets' && this.agent) {
      const v = text.trim();
      if (frame.local === 'name') this.agent.name ??= copyText(v);
      else if (frame.local === 'note') this.agent.note ??= copyText(v);
    } else if (this.md) {
      this.md.collector.leaf(frame.local, copyText(text.trim()));
    } else if (this.dmd) {
      this.dmd.collector.leaf(frame.vocab, frame.local, copyText(text), hadChildren);
    }
  }

  private openMetsElement(tag: QualifiedTag, parent: Frame | undefined): boolean {
    switch (tag.local) {
      case 'agent':
        if (parent?.local === 'metsHdr') {
          this.agent = { role: attr(tag, 'ROLE'), otherType: attr(tag, 'OTHERTYPE'), name: null, note: null };
        }
        return false;
      case 'name':
      case 'note':
        return this.agent !== null;
      case 'dmdSec':
        this.dmd = {
          id: this.claimId(attr(tag, 'ID')) ?? `#dmd${this.out.dmdOrder.length}`,
          collector: new DmdCollector(),
        };
        this.openId = this.dmd.id;
        return false;
      case 'amdSec':
        this.amdSecId = this.claimId(attr(tag, 'ID'));
        if (this.amdSecId) this.out.amdSecs.set(this.amdSecId, []);
        return false;
      case 'techMD':
      case 'digiprovMD':
      case 'rightsMD':
      case 'sourceMD':
        this.openMd(tag);
        return false;
      case 'mdWrap':
        this.noteMdType(attr(tag, 'MDTYPE'), attr(tag, 'OTHERMDTYPE'));
        return false;
      default:
        return this.openStructure(tag);
    }
  }

  private openMd(tag: QualifiedTag): void {
    const id = this.claimId(attr(tag, 'ID'));
    const superseded = /^superseded$/i.test(attr(tag, 'STATUS') ?? '');
    const agents = this.out.premisAgents;
    const onAgent = (name: string) => {
      if (agents.size < 16) agents.add(name);
    };
    this.md = { id, superseded, collector: new MdSectionCollector(onAgent), depth: this.stack.length };
    this.openId = id;
    if (id && this.amdSecId && !superseded) this.out.amdSecs.get(this.amdSecId)?.push(id);
  }

  private noteMdType(mdType: string | null, other: string | null): void {
    if (mdType) this.out.mdTypes.add(mdType.toUpperCase());
    if (other) this.out.mdTypes.add(other.toUpperCase());
  }

  private openStructure(tag: QualifiedTag): boolean {
    switch (tag.local) {
      case 'file':
        this.file = {
          id: attr(tag, 'ID'),
          href: null,
          at: this.position(),
          mimeType: internOrNull(attr(tag, 'MIMETYPE')),
          size: attr(tag, 'SIZE'),
          checksum: attr(tag, 'CHECKSUM'),
          checksumType: internOrNull(attr(tag, 'CHECKSUMTYPE')),
          admIds: idRefs(attr(tag, 'ADMID'), this.known),
          dmdIds: idRefs(attr(tag, 'DMDID'), this.known),
        };
        this.out.files.push(this.file);
        return false;
      case 'FLocat':
        if (this.file && this.file.href === null) this.file.href = xlinkHref(tag);
        return false;
      case 'structMap':
        this.openStructMap(tag);
        return false;
      case 'div':
        this.openDiv(tag);
        return false;
      case 'fptr':
      case 'area':
        this.addFptr(attr(tag, 'FILEID'));
        return false;
      default:
        return false;
    }
  }

  private openStructMap(tag: QualifiedTag): void {
    const type = (attr(tag, 'TYPE') ?? '').toLowerCase();
    const rank = type === 'physical' ? 3 : type === '' ? 2 : 1;
    const label = attr(tag, 'LABEL');
    if (label) this.out.structMapLabels.push(label);
    const keep = rank > this.bestRank;
    this.structMap = { rank, keep, divs: [], stack: [], depth: this.stack.length, skipped: 0 };
  }

  private openDiv(tag: QualifiedTag): void {
    const sm = this.structMap;
    if (!sm) return;
    const dmdIds = idRefs(attr(tag, 'DMDID'), this.known);
    const top = this.stack.length === sm.depth + 1;
    if (top) (sm.keep ? this.out.topDmdIds : this.out.otherTopDmdIds).push(...dmdIds);
    if (!sm.keep) return;
    if (sm.skipped > 0 || sm.stack.length >= MAX_DIV_DEPTH) {
      if (sm.skipped++ === 0 && !this.reportedDepth) {
        this.reportedDepth = true;
        this.out.problems.push(
          problem(
            'STRUCTURE_TOO_DEEP',
            `structMap divs nest deeper than ${MAX_DIV_DEPTH} levels; the deeper divs are not read`,
            null,
            this.position(),
          ),
        );
      }
      return;
    }
    const div: DivRecord = {
      id: attr(tag, 'ID'),
      type: internOrNull(attr(tag, 'TYPE')),
      label: attr(tag, 'LABEL'),
      admIds: idRefs(attr(tag, 'ADMID'), this.known),
      dmdIds,
      parent: sm.stack.length ? sm.stack[sm.stack.length - 1]! : -1,
      fileIds: [],
    };
    sm.stack.push(sm.divs.length);
    sm.divs.push(div);
  }

  private addFptr(fileId: string | null): void {
    const sm = this.structMap;
    if (!sm?.keep || !fileId || sm.stack.length === 0 || sm.skipped > 0) return;
    const div = sm.divs[sm.stack[sm.stack.length - 1]!]!;
    // An <area FILEID> inside an <fptr FILEID> names the same file: keep it once.
    if (div.fileIds[div.fileIds.length - 1] !== fileId) div.fileIds.push(fileId);
  }

  private closeMetsElement(local: string, depth: number): void {
    switch (local) {
      case 'mets':
        if (depth === this.metsDepth) this.metsDepth = 0;
        return;
      case 'agent':
        if (this.agent) this.out.agents.push(this.agent);
        this.agent = null;
        return;
      case 'dmdSec':
        if (this.dmd) this.finishDmd(this.dmd.id, this.dmd.collector.finish());
        this.dmd = null;
        this.openId = null;
        return;
      case 'amdSec':
        this.amdSecId = null;
        return;
      case 'techMD':
      case 'digiprovMD':
      case 'rightsMD':
      case 'sourceMD':
        this.closeMd(depth);
        return;
      default:
        this.closeStructure(local);
    }
  }

  private finishDmd(id: string, record: DmdRecord): void {
    if (this.out.dmds.has(id)) return;
    this.out.dmds.set(id, record);
    this.out.dmdOrder.push(id);
  }

  private closeMd(depth: number): void {
    const md = this.md;
    if (!md || md.depth !== depth) return;
    this.md = null;
    this.openId = null;
    if (!md.id) return;
    // Superseded sections are kept as empty records: their IDs stay known, their values unused.
    const r = md.collector.record;
    const empty = md.superseded || (r.objects.length === 0 && r.events.length === 0);
    this.out.mdSections.set(md.id, empty ? EMPTY_SECTION : r);
  }

  private closeStructure(local: string): void {
    if (local === 'file') {
      if (this.file) this.resolveFile(this.file);
      this.file = null;
    } else if (local === 'div') {
      if (this.structMap !== null && this.structMap.skipped > 0) {
        this.structMap.skipped--;
        return;
      }
      const index = this.structMap?.stack.pop();
      const div = index === undefined ? undefined : this.structMap?.divs[index];
      // push() leaves room for 17 entries; an exact copy saves ~130 bytes a div.
      if (div && div.fileIds.length > 0) div.fileIds = div.fileIds.slice();
    } else if (local === 'structMap' && this.structMap) {
      const sm = this.structMap;
      this.structMap = null;
      if (sm.keep) {
        this.bestRank = sm.rank;
        this.out.divs = sm.divs;
      }
    }
  }

  /** Merge a closed file's facts now when its sections are all read, so they can be dropped. */
  private resolveFile(f: FileRecord): void {
    const early = resolveEarly(this.out, f, (id) => id === this.openId || id === this.amdSecId);
    if (!early) return;
    f.early = early;
    f.checksum = null;
    f.checksumType = null;
    f.size = null;
  }

  /**
   * Check a metadata section's ID; a second use is reported and the element treated as having
   * none. (Duplicate mets:file IDs are found when files are resolved.)
   */
  private claimId(id: string | null): string | null {
    if (id === null || id === '') return null;
    if (this.known.has(id)) {
      this.out.problems.push(
        problem(
          'DUPLICATE_ID',
          `ID ${quoteForMessage(id, 80)} is used more than once`,
          null,
          this.position(),
        ),
      );
      return null;
    }
    return id;
  }
}

function internOrNull(s: string | null): string | null {
  return s === null ? null : intern(s);
}

/**
 * An unqualified attribute's value (METS attributes carry no namespace). Own properties only: an
 * attribute named `__proto__` or `constructor` must not answer for another.
 */
function attr(tag: QualifiedTag, name: string): string | null {
  if (!Object.hasOwn(tag.attributes, name)) return null;
  const a = tag.attributes[name] as QualifiedAttribute | undefined;
  return a && typeof a.value === 'string' && a.uri === '' ? flatten(a.value) : null;
}

/** The xlink:href attribute, matched by namespace; a bare `href` is accepted too. */
function xlinkHref(tag: QualifiedTag): string | null {
  let bare: string | null = null;
  for (const a of Object.values(tag.attributes) as QualifiedAttribute[]) {
    if (a.local !== 'href' || typeof a.value !== 'string') continue;
    if (a.uri === NS.xlink) return flatten(a.value);
    if (a.uri === '') bare = flatten(a.value);
  }
  return bare;
}

function dmdAttrs(tag: QualifiedTag): { type: string | null; href: string | null } {
  return { type: attr(tag, 'type'), href: xlinkHref(tag) };
}
