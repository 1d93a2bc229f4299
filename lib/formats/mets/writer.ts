/**
 * Serialise a {@link MetsDocument} as METS 1.12 with MODS 3 descriptive metadata and PREMIS 3
 * technical and provenance metadata, in the shape of the Leeds Preservation API's managed METS
 * (root dmdSec, one amdSec per file and folder, one fileGrp, a PHYSICAL structMap of Directory
 * and Item divs) but with valid xs:ID values (ids.ts).
 *
 * Output is deterministic: items sorted by path, attributes in fixed order, no clock — the same
 * document always gives the same bytes, so ETags are stable. `metsChunks` yields the text piece
 * by piece (one item at a time) for very large deposits; `writeMets` joins it.
 *
 * Layout:
 *   mets:mets PROFILE=urn:strongroom:… (marks the METS as ours, see producer.ts)
 *     metsHdr: CREATEDATE/LASTMODDATE when set; agent CREATOR/SOFTWARE "Strongroom"
 *     dmdSec DMD_ROOT: mods titleInfo + accessCondition(s)     (only when there is something)
 *     dmdSec DMD_k per item with access conditions
 *     amdSec ADM_k per item: techMD TECH_k premis:object (file | intellectualEntity for folders;
 *                            a file's EXIF tags in objectCharacteristicsExtension, sr:exif);
 *                            digiprovMD EVT_k premis:event "virus check" for files that have one
 *     fileSec/fileGrp USE=OBJECTS: file FILE_k (MIMETYPE, SIZE, CHECKSUM SHA-256, ADMID) + FLocat
 *     structMap PHYSICAL: div PHYS_ROOT (Directory) > Directory divs PHYS_k > Item divs PHYS_k > fptr
 */
import { metsChecksumType } from './digests.js';
import { type DocumentDirectory, type DocumentFile, isDocumentFile, type MetsDocument } from './document.js';
import { assignKeys, comparePaths, type ItemIds, itemIds, ROOT_IDS } from './ids.js';
import { NS } from './namespaces.js';
import { parentPath, pathToHref } from './paths.js';
import { STRONGROOM_AGENT, STRONGROOM_PROFILE } from './producer.js';
import { escapeAttr as a, escapeText as t } from './xml.js';

const SCHEMA_LOCATION = [
  `${NS.mets} https://www.loc.gov/standards/mets/mets.xsd`,
  `${NS.mods} https://www.loc.gov/standards/mods/v3/mods-3-8.xsd`,
  `${NS.premis3} https://www.loc.gov/standards/premis/v3/premis.xsd`,
].join(' ');

/** Serialise the whole document to a string. */
export function writeMets(doc: MetsDocument): string {
  return [...metsChunks(doc)].join('');
}

/** Serialise the document as a sequence of text chunks (UTF-8 when encoded). */
export function* metsChunks(doc: MetsDocument): Generator<string> {
  const files = doc.files;
  const dirs = doc.directories;
  const keys = assignKeys([...files.map((f) => f.path), ...dirs.map((d) => d.path)]);
  const ids = (path: string) => itemIds(keys.get(path)!);
  yield header(doc);
  yield rootDmd(doc);
  const items = [...dirs, ...files].sort((x, y) => comparePaths(x.path, y.path));
  for (const item of items) yield itemDmd(item, ids(item.path));
  for (const item of items)
    yield isDocumentFile(item) ? fileAmd(item, ids(item.path)) : dirAmd(item, ids(item.path));
  if (files.length) {
    yield '  <mets:fileSec>\n    <mets:fileGrp USE="OBJECTS">\n';
    for (const f of files) yield fileEntry(f, ids(f.path));
    yield '    </mets:fileGrp>\n  </mets:fileSec>\n';
  }
  yield* structMap(doc, files, dirs, ids);
  yield '</mets:mets>\n';
}

function header(doc: MetsDocument): string {
  const dates = `${doc.created ? ` CREATEDATE="${a(doc.created)}"` : ''}${doc.lastModified ? ` LASTMODDATE="${a(doc.lastModified)}"` : ''}`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<mets:mets xmlns:mets="${NS.mets}" xmlns:mods="${NS.mods}" xmlns:premis="${NS.premis3}" ` +
    `xmlns:xlink="${NS.xlink}" xmlns:xsi="${NS.xsi}" PROFILE="${STRONGROOM_PROFILE}" ` +
    `xsi:schemaLocation="${SCHEMA_LOCATION}">\n` +
    `  <mets:metsHdr${dates}>\n` +
    '    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">\n' +
    `      <mets:name>${STRONGROOM_AGENT}</mets:name>\n` +
    '      <mets:note>Managed deposit METS written by Strongroom; edit it through the Preservation API.</mets:note>\n' +
    '    </mets:agent>\n' +
    '  </mets:metsHdr>\n'
  );
}

function rootDmd(doc: MetsDocument): string {
  const { accessRestrictions, rightsStatement } = doc.root;
  const title =
    doc.title === null
      ? ''
      : `          <mods:titleInfo>\n            <mods:title>${t(doc.title)}</mods:title>\n          </mods:titleInfo>\n`;
  const body = title + conditions(accessRestrictions, rightsStatement);
  return body === '' ? '' : dmdSec(ROOT_IDS.dmd, body);
}

function itemDmd(item: DocumentFile | DocumentDirectory, ids: ItemIds): string {
  const body = conditions(item.accessRestrictions, item.rightsStatement);
  return body === '' ? '' : dmdSec(ids.dmd, body);
}

function hasDmd(item: DocumentFile | DocumentDirectory): boolean {
  return item.accessRestrictions.length > 0 || item.rightsStatement !== null;
}

function conditions(restrictions: string[], rights: string | null): string {
  let out = '';
  for (const r of restrictions)
    out += `          <mods:accessCondition type="restriction on access">${t(r)}</mods:accessCondition>\n`;
  if (rights !== null) {
    out += `          <mods:accessCondition type="use and reproduction" xlink:href="${a(rights)}">${t(rights)}</mods:accessCondition>\n`;
  }
  return out;
}

function dmdSec(id: string, modsBody: string): string {
  return (
    `  <mets:dmdSec ID="${id}">\n    <mets:mdWrap MDTYPE="MODS">\n      <mets:xmlData>\n` +
    `        <mods:mods version="3.8">\n${modsBody}        </mods:mods>\n` +
    '      </mets:xmlData>\n    </mets:mdWrap>\n  </mets:dmdSec>\n'
  );
}

const P = '          '; // indentation of premis:object / premis:event inside xmlData

function wrap(kind: 'techMD' | 'digiprovMD', id: string, mdType: string, inner: string): string {
  return (
    `    <mets:${kind} ID="${id}">\n      <mets:mdWrap MDTYPE="${mdType}">\n        <mets:xmlData>\n` +
    inner +
    `        </mets:xmlData>\n      </mets:mdWrap>\n    </mets:${kind}>\n`
  );
}

function identifier(tag: 'object' | 'event' | 'linkingObject', value: string): string {
  return (
    `${P}  <premis:${tag}Identifier>\n${P}    <premis:${tag}IdentifierType>local</premis:${tag}IdentifierType>\n` +
    `${P}    <premis:${tag}IdentifierValue>${t(value)}</premis:${tag}IdentifierValue>\n${P}  </premis:${tag}Identifier>\n`
  );
}

function dirAmd(d: DocumentDirectory, ids: ItemIds): string {
  const object =
    `${P}<premis:object xsi:type="premis:intellectualEntity" version="3.0">\n` +
    identifier('object', d.path) +
    `${P}  <premis:originalName>${t(d.path)}</premis:originalName>\n${P}</premis:object>\n`;
  return `  <mets:amdSec ID="${ids.adm}">\n${wrap('techMD', ids.tech, 'PREMIS:OBJECT', object)}  </mets:amdSec>\n`;
}

function fileAmd(f: DocumentFile, ids: ItemIds): string {
  const algs = Object.keys(f.digests).sort((x, y) =>
    x === 'sha256' ? -1 : y === 'sha256' ? 1 : comparePaths(x, y),
  );
  let chars = `${P}  <premis:objectCharacteristics>\n`;
  for (const alg of algs) {
    chars +=
      `${P}    <premis:fixity>\n${P}      <premis:messageDigestAlgorithm>${t(metsChecksumType(alg))}</premis:messageDigestAlgorithm>\n` +
      `${P}      <premis:messageDigest>${f.digests[alg]}</premis:messageDigest>\n${P}    </premis:fixity>\n`;
  }
  if (f.size !== null) chars += `${P}    <premis:size>${f.size}</premis:size>\n`;
  chars += format(f) + exifExtension(f) + `${P}  </premis:objectCharacteristics>\n`;
  const object =
    `${P}<premis:object xsi:type="premis:file" version="3.0">\n` +
    identifier('object', f.path) +
    chars +
    `${P}  <premis:originalName>${t(f.path)}</premis:originalName>\n${P}</premis:object>\n`;
  const event = f.virusCheck ? wrap('digiprovMD', ids.event, 'PREMIS:EVENT', virusEvent(f, ids)) : '';
  return `  <mets:amdSec ID="${ids.adm}">\n${wrap('techMD', ids.tech, 'PREMIS:OBJECT', object)}${event}  </mets:amdSec>\n`;
}

/** PREMIS requires a format: an unidentified file gets an empty formatName, which reads back as "no format". */
function format(f: DocumentFile): string {
  const name = f.format?.name ?? '';
  const key = f.format?.pronomKey ?? null;
  const registry = key
    ? `${P}      <premis:formatRegistry>\n${P}        <premis:formatRegistryName>PRONOM</premis:formatRegistryName>\n` +
      `${P}        <premis:formatRegistryKey>${t(key)}</premis:formatRegistryKey>\n${P}      </premis:formatRegistry>\n`
    : '';
  return (
    `${P}    <premis:format>\n${P}      <premis:formatDesignation>\n` +
    `${P}        <premis:formatName>${t(name)}</premis:formatName>\n${P}      </premis:formatDesignation>\n` +
    registry +
    `${P}    </premis:format>\n`
  );
}

/** EXIF tags in objectCharacteristicsExtension (PREMIS leaves its content to other schemas), by name. */
function exifExtension(f: DocumentFile): string {
  if (!f.exif) return '';
  const names = Object.keys(f.exif).sort(comparePaths);
  if (names.length === 0) return '';
  let out = `${P}    <premis:objectCharacteristicsExtension>\n${P}      <sr:exif xmlns:sr="${NS.exif}">\n`;
  for (const n of names) out += `${P}        <sr:tag name="${a(n)}">${t(f.exif[n]!)}</sr:tag>\n`;
  return `${out}${P}      </sr:exif>\n${P}    </premis:objectCharacteristicsExtension>\n`;
}

function virusEvent(f: DocumentFile, ids: ItemIds): string {
  const v = f.virusCheck!;
  let out = `${P}<premis:event version="3.0">\n${identifier('event', ids.event)}`;
  out += `${P}  <premis:eventType>virus check</premis:eventType>\n${P}  <premis:eventDateTime>${t(v.date!)}</premis:eventDateTime>\n`;
  if (v.detail !== null) {
    out += `${P}  <premis:eventDetailInformation>\n${P}    <premis:eventDetail>${t(v.detail)}</premis:eventDetail>\n${P}  </premis:eventDetailInformation>\n`;
  }
  if (v.outcome !== null || v.outcomeDetail !== null) {
    out += `${P}  <premis:eventOutcomeInformation>\n`;
    if (v.outcome !== null) out += `${P}    <premis:eventOutcome>${t(v.outcome)}</premis:eventOutcome>\n`;
    if (v.outcomeDetail !== null) {
      out += `${P}    <premis:eventOutcomeDetail>\n${P}      <premis:eventOutcomeDetailNote>${t(v.outcomeDetail)}</premis:eventOutcomeDetailNote>\n${P}    </premis:eventOutcomeDetail>\n`;
    }
    out += `${P}  </premis:eventOutcomeInformation>\n`;
  }
  if (v.agent !== null) {
    out +=
      `${P}  <premis:linkingAgentIdentifier>\n${P}    <premis:linkingAgentIdentifierType>software</premis:linkingAgentIdentifierType>\n` +
      `${P}    <premis:linkingAgentIdentifierValue>${t(v.agent)}</premis:linkingAgentIdentifierValue>\n` +
      `${P}    <premis:linkingAgentRole>executing program</premis:linkingAgentRole>\n${P}  </premis:linkingAgentIdentifier>\n`;
  }
  return `${out}${identifier('linkingObject', f.path)}${P}</premis:event>\n`;
}

function fileEntry(f: DocumentFile, ids: ItemIds): string {
  const attrs = [`ID="${ids.file}"`];
  if (f.contentType !== null) attrs.push(`MIMETYPE="${a(f.contentType)}"`);
  if (f.size !== null) attrs.push(`SIZE="${f.size}"`);
  if (f.digests.sha256) attrs.push(`CHECKSUM="${f.digests.sha256}"`, 'CHECKSUMTYPE="SHA-256"');
  attrs.push(`ADMID="${ids.adm}"`);
  return (
    `      <mets:file ${attrs.join(' ')}>\n` +
    `        <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="${a(pathToHref(f.path))}"/>\n` +
    '      </mets:file>\n'
  );
}

function* structMap(
  doc: MetsDocument,
  files: DocumentFile[],
  dirs: DocumentDirectory[],
  ids: (path: string) => ItemIds,
): Generator<string> {
  const children = new Map<string, (DocumentFile | DocumentDirectory)[]>();
  for (const item of [...dirs, ...files]) {
    const parent = parentPath(item.path);
    const list = children.get(parent) ?? [];
    list.push(item);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((x, y) => comparePaths(x.path, y.path));
  const rootHasDmd = rootDmd(doc) !== '';
  yield `  <mets:structMap TYPE="PHYSICAL">\n    <mets:div ID="${ROOT_IDS.phys}" TYPE="Directory"${rootHasDmd ? ` DMDID="${ROOT_IDS.dmd}"` : ''}>\n`;
  yield* divs('', children, ids, '      ');
  yield '    </mets:div>\n  </mets:structMap>\n';
}

function* divs(
  parent: string,
  children: Map<string, (DocumentFile | DocumentDirectory)[]>,
  ids: (path: string) => ItemIds,
  indent: string,
): Generator<string> {
  for (const item of children.get(parent) ?? []) {
    const i = ids(item.path);
    const dmd = hasDmd(item) ? ` DMDID="${i.dmd}"` : '';
    if (isDocumentFile(item)) {
      yield `${indent}<mets:div ID="${i.phys}" TYPE="Item" LABEL="${a(item.name)}"${dmd}>\n${indent}  <mets:fptr FILEID="${i.file}"/>\n${indent}</mets:div>\n`;
    } else {
      const open = `${indent}<mets:div ID="${i.phys}" TYPE="Directory" LABEL="${a(item.name)}" ADMID="${i.adm}"${dmd}`;
      if (!children.has(item.path)) {
        yield `${open}/>\n`;
        continue;
      }
      yield `${open}>\n`;
      yield* divs(item.path, children, ids, `${indent}  `);
      yield `${indent}</mets:div>\n`;
    }
  }
}
