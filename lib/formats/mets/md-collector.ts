/**
 * Collects the PREMIS and descriptive (MODS / DC / DDI) values inside one metadata section from
 * SAX events, into the compact records of records.ts. Only leaf elements the model uses are
 * captured as text (digests, sizes, formats, names, events, titles, access conditions), so an
 * embedded ExifTool dump or a long abstract costs nothing.
 */

import type { Vocabulary } from './namespaces.js';
import type { SourcePosition } from './problems.js';
import {
  type DigestCandidate,
  type DmdRecord,
  intern,
  type MdSectionRecord,
  type PremisEventRecord,
  type PremisObjectRecord,
} from './records.js';

/** PREMIS leaves whose text we keep. */
const PREMIS_LEAVES = new Set([
  'messageDigestAlgorithm',
  'messageDigest',
  'size',
  'formatName',
  'formatRegistryName',
  'formatRegistryKey',
  'originalName',
  'eventType',
  'eventDateTime',
  'eventDetail',
  'eventOutcome',
  'eventOutcomeDetailNote',
  'linkingAgentIdentifierType',
  'linkingAgentIdentifierValue',
  'agentName',
]);

/** Leaves whose values differ from file to file (not worth interning). */
const UNIQUE_LEAVES = new Set(['messageDigest', 'originalName', 'eventOutcomeDetailNote']);

/** Event types we keep (lower-case). */
const KEPT_EVENTS = new Set(['virus check', 'message digest calculation']);

/** Most EXIF tags kept per file, and the longest tag name (a hostile METS cannot grow the model). */
export const MAX_EXIF_TAGS = 1000;
const MAX_EXIF_NAME = 256;

interface FormatDraft {
  name: string | null;
  registry: string | null;
  key: string | null;
}

/** Collects one techMD/digiprovMD/rightsMD/sourceMD section. */
export class MdSectionCollector {
  readonly record: MdSectionRecord = { objects: [], events: [] };
  private object: PremisObjectRecord | null = null;
  private objectDepth = -1;
  private event: PremisEventRecord | null = null;
  private eventDepth = -1;
  private fixity: { label: string | null; value: string | null; at: SourcePosition } | null = null;
  private format: FormatDraft | null = null;
  private agentType: string | null = null;
  private inAgent = false;
  private sizeAt: SourcePosition | null = null;
  private exifName: string | null = null;

  /** `onAgentName` hears each PREMIS agentName (producer recognition). */
  constructor(private readonly onAgentName: (name: string) => void = () => {}) {}

  /**
   * An element opened at `depth`; returns true when its text should be captured. `attribute`
   * reads one of its unqualified attributes (the name of an EXIF tag).
   */
  open(
    vocab: Vocabulary,
    local: string,
    depth: number,
    position: () => SourcePosition,
    attribute: (name: string) => string | null = () => null,
  ): boolean {
    if (vocab === 'exif') return this.openExifTag(local, attribute);
    if (vocab !== 'premis') return false;
    if (local === 'object' && !this.object) {
      this.object = { digests: [], size: null, format: null, originalName: null, exif: null };
      this.objectDepth = depth;
    } else if (local === 'event' && !this.event) {
      this.event = {
        type: '',
        date: null,
        detail: null,
        outcome: null,
        outcomeDetail: null,
        agent: null,
        at: position(),
      };
      this.eventDepth = depth;
    } else if (local === 'fixity' && this.object) {
      this.fixity = { label: null, value: null, at: position() };
    } else if (local === 'format' && this.object) {
      this.format = { name: null, registry: null, key: null };
    }
    if (local === 'size' && this.fixity === null && this.object) this.sizeAt = position();
    if (local === 'agent') this.inAgent = true;
    return PREMIS_LEAVES.has(local) && (this.object !== null || this.event !== null || this.inAgent);
  }

  /** An EXIF `tag` element of an object's objectCharacteristicsExtension: captured by name. */
  private openExifTag(local: string, attribute: (name: string) => string | null): boolean {
    const name = attribute('name');
    const count = this.object?.exif ? Object.keys(this.object.exif).length : 0;
    if (local !== 'tag' || !this.object || this.event || name === null || name === '') return false;
    if (name.length > MAX_EXIF_NAME || count >= MAX_EXIF_TAGS) return false;
    this.exifName = name;
    return true;
  }

  /** A captured leaf's text. */
  leaf(local: string, text: string): void {
    if (this.exifName !== null && local === 'tag') {
      // Null prototype: a tag named `__proto__` is an ordinary key.
      this.object!.exif ??= Object.create(null) as Record<string, string>;
      const exif = this.object!.exif;
      if (!Object.hasOwn(exif, this.exifName)) exif[this.exifName] = intern(text.trim());
      this.exifName = null;
      return;
    }
    // Digests and names are unique per file; everything else repeats and is shared.
    const value = UNIQUE_LEAVES.has(local) ? text.trim() : intern(text.trim());
    if (this.inAgent && local === 'agentName') {
      if (value !== '') this.onAgentName(value);
      return;
    }
    if (this.fixity && local === 'messageDigestAlgorithm') this.fixity.label = value;
    else if (this.fixity && local === 'messageDigest') this.fixity.value = value;
    else if (this.format && local === 'formatName') this.format.name ??= value;
    else if (this.format && local === 'formatRegistryName') this.format.registry ??= value;
    else if (this.format && local === 'formatRegistryKey') this.format.key ??= value;
    else if (this.object && !this.event) this.objectLeaf(local, value);
    else if (this.event) this.eventLeaf(local, value);
  }

  private objectLeaf(local: string, value: string): void {
    const o = this.object!;
    if (local === 'size' && o.size === null && this.sizeAt) o.size = { value, at: this.sizeAt };
    else if (local === 'originalName' && o.originalName === null && value !== '') o.originalName = value;
  }

  private eventLeaf(local: string, value: string): void {
    const e = this.event!;
    const v = value === '' ? null : value;
    if (local === 'eventType') e.type = value;
    else if (local === 'eventDateTime') e.date ??= v;
    else if (local === 'eventDetail') e.detail ??= v;
    else if (local === 'eventOutcome') e.outcome ??= v;
    else if (local === 'eventOutcomeDetailNote') e.outcomeDetail ??= v;
    else if (local === 'linkingAgentIdentifierType') this.agentType = value;
    else if (local === 'linkingAgentIdentifierValue') {
      e.agent = chooseAgent(e.agent, this.agentType, v);
      if (v !== null && /software|system/i.test(this.agentType ?? '')) this.onAgentName(v);
    }
  }

  /** An element closed at `depth`. */
  close(vocab: Vocabulary, local: string, depth: number): void {
    if (vocab !== 'premis') return;
    if (local === 'agent') this.inAgent = false;
    if (local === 'fixity' && this.fixity && this.object) {
      const f = this.fixity;
      if (f.value)
        this.object.digests.push({ label: f.label, value: f.value, at: f.at } satisfies DigestCandidate);
      this.fixity = null;
    } else if (local === 'format' && this.format && this.object) {
      this.keepFormat(this.format);
      this.format = null;
    } else if (local === 'object' && depth === this.objectDepth && this.object) {
      this.record.objects.push(this.object);
      this.object = null;
    } else if (local === 'event' && depth === this.eventDepth && this.event) {
      if (KEPT_EVENTS.has(this.event.type.trim().toLowerCase())) this.record.events.push(this.event);
      this.event = null;
      this.agentType = null;
    }
  }

  private keepFormat(f: FormatDraft): void {
    const o = this.object!;
    const key = f.key && f.key !== '' ? f.key : null;
    const isPronom = key !== null && (/^pronom$/i.test(f.registry ?? '') || /^(x-)?fmt\/\d+$/.test(key));
    const name = f.name && f.name !== '' ? f.name : null;
    if (key === null && name === null) return;
    // The first format with a PRONOM key wins; a bare name only fills an empty slot.
    if (o.format === null || (o.format.pronomKey === null && isPronom)) {
      o.format = { pronomKey: isPronom ? key : null, name };
    }
  }
}

/** Prefer an agent identified as software / preservation system over a user id. */
function chooseAgent(current: string | null, type: string | null, value: string | null): string | null {
  if (value === null) return current;
  const softwareish = /software|system|program|tool/i.test(type ?? '');
  if (current === null || softwareish) return value;
  return current;
}

/** MODS / DC / DDI leaves whose text we keep, by vocabulary. */
const DMD_LEAVES: Record<string, Set<string>> = {
  mods: new Set(['title', 'subTitle', 'accessCondition', 'name']),
  dc: new Set(['title']),
  ddi: new Set(['titl']),
};

/** Collects one dmdSec. */
export class DmdCollector {
  readonly record: DmdRecord = {
    title: null,
    nameFallback: null,
    accessRestrictions: [],
    rightsStatement: null,
  };
  private titleInfo: { typed: boolean; title: string | null; subTitle: string | null } | null = null;
  private primaryTitle: string | null = null;
  private anyTitle: string | null = null;
  private otherTitle: string | null = null;
  private condition: { type: string; href: string | null } | null = null;

  /** An element opened; `parent` is the enclosing element's local name. */
  open(vocab: Vocabulary, local: string, parent: string, attrs: DmdAttrs): boolean {
    if (vocab === 'mods' && local === 'titleInfo' && isTopLevel(parent)) {
      this.titleInfo = { typed: attrs.type !== null, title: null, subTitle: null };
    } else if (vocab === 'mods' && local === 'accessCondition' && isTopLevel(parent)) {
      this.condition = { type: (attrs.type ?? '').trim().toLowerCase(), href: attrs.href };
      return true;
    } else if (vocab === 'mods' && local === 'name') {
      return isTopLevel(parent);
    }
    const leaves = DMD_LEAVES[vocab];
    if (!leaves?.has(local)) return false;
    if (vocab === 'mods') return this.titleInfo !== null && local !== 'accessCondition';
    return true;
  }

  /** A captured leaf's text; `hadChildren` when the element held elements (not a bare name). */
  leaf(vocab: Vocabulary, local: string, text: string, hadChildren: boolean): void {
    const value = text.replace(/\s+/g, ' ').trim();
    if (vocab === 'mods' && local === 'accessCondition' && this.condition) {
      this.accessCondition(this.condition, value);
      this.condition = null;
    } else if (vocab === 'mods' && local === 'name') {
      if (!hadChildren && value !== '') this.record.nameFallback ??= value;
    } else if (vocab === 'mods' && this.titleInfo) {
      if (local === 'title') this.titleInfo.title ??= value;
      else if (local === 'subTitle') this.titleInfo.subTitle ??= value;
    } else if (value !== '') {
      this.otherTitle ??= value;
    }
  }

  /** An element closed. */
  close(vocab: Vocabulary, local: string): void {
    if (vocab !== 'mods' || local !== 'titleInfo' || !this.titleInfo) return;
    const t = this.titleInfo;
    this.titleInfo = null;
    if (!t.title) return;
    const full = t.subTitle ? `${t.title}: ${t.subTitle}` : t.title;
    if (!t.typed) this.primaryTitle ??= full;
    this.anyTitle ??= full;
  }

  /** The finished record. */
  finish(): DmdRecord {
    this.record.title = this.primaryTitle ?? this.anyTitle ?? this.otherTitle;
    return this.record;
  }

  private accessCondition(c: { type: string; href: string | null }, value: string): void {
    if (c.type === 'restriction on access' || c.type === 'status') {
      if (value !== '' && !this.record.accessRestrictions.includes(value))
        this.record.accessRestrictions.push(value);
    } else if (c.type === 'use and reproduction') {
      const uri = c.href ?? (isAbsoluteUri(value) ? value : null);
      if (uri) this.record.rightsStatement ??= uri;
    }
  }
}

/** The attributes of a dmdSec element the collector reads. */
export interface DmdAttrs {
  type: string | null;
  href: string | null;
}

/** MODS top-level elements sit in mods:mods, or straight in mets:xmlData (EPrints). */
function isTopLevel(parent: string): boolean {
  return parent === 'mods' || parent === 'xmlData';
}

function isAbsoluteUri(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(s);
}
