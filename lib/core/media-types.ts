/**
 * A file's media type from its name's extension: the last resort when neither the METS nor a
 * format-identification tool says what a file is (DECISIONS "Compatibility": content types come
 * from METS, tool outputs or the extension, never from an S3 `application/octet-stream`).
 *
 * The table covers what archives deposit most: images, audio, video, office and text formats,
 * XML and the metadata formats around METS, and containers. It is deliberately small and
 * ours (no registry download); unknown extensions answer undefined so the caller decides.
 *
 * Pure module.
 */

/** The generic type that carries no information (and is never trusted from a store). */
export const OCTET_STREAM = 'application/octet-stream';

const BY_EXTENSION: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    // images
    tif: 'image/tiff',
    tiff: 'image/tiff',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    jpe: 'image/jpeg',
    jp2: 'image/jp2',
    j2k: 'image/jp2',
    jpf: 'image/jpx',
    jpx: 'image/jpx',
    png: 'image/png',
    gif: 'image/gif',
    bmp: 'image/bmp',
    webp: 'image/webp',
    svg: 'image/svg+xml',
    heic: 'image/heic',
    dng: 'image/x-adobe-dng',
    psd: 'image/vnd.adobe.photoshop',
    ico: 'image/vnd.microsoft.icon',
    // audio
    wav: 'audio/wav',
    mp3: 'audio/mpeg',
    flac: 'audio/flac',
    ogg: 'audio/ogg',
    oga: 'audio/ogg',
    m4a: 'audio/mp4',
    aif: 'audio/aiff',
    aiff: 'audio/aiff',
    // video
    mp4: 'video/mp4',
    m4v: 'video/mp4',
    mov: 'video/quicktime',
    avi: 'video/x-msvideo',
    mkv: 'video/x-matroska',
    webm: 'video/webm',
    mpg: 'video/mpeg',
    mpeg: 'video/mpeg',
    mxf: 'application/mxf',
    ogv: 'video/ogg',
    // documents
    pdf: 'application/pdf',
    doc: 'application/msword',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xls: 'application/vnd.ms-excel',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ppt: 'application/vnd.ms-powerpoint',
    pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    odt: 'application/vnd.oasis.opendocument.text',
    ods: 'application/vnd.oasis.opendocument.spreadsheet',
    odp: 'application/vnd.oasis.opendocument.presentation',
    rtf: 'application/rtf',
    epub: 'application/epub+zip',
    // text and data
    txt: 'text/plain',
    text: 'text/plain',
    log: 'text/plain',
    md: 'text/markdown',
    csv: 'text/csv',
    tsv: 'text/tab-separated-values',
    htm: 'text/html',
    html: 'text/html',
    css: 'text/css',
    js: 'text/javascript',
    json: 'application/json',
    jsonld: 'application/ld+json',
    xml: 'application/xml',
    xsd: 'application/xml',
    xsl: 'application/xslt+xml',
    xslt: 'application/xslt+xml',
    yaml: 'application/yaml',
    yml: 'application/yaml',
    rdf: 'application/rdf+xml',
    nt: 'application/n-triples',
    ttl: 'text/turtle',
    // archives and containers
    zip: 'application/zip',
    gz: 'application/gzip',
    tgz: 'application/gzip',
    tar: 'application/x-tar',
    '7z': 'application/x-7z-compressed',
    warc: 'application/warc',
    iso: 'application/x-iso9660-image',
  }),
);

/**
 * The media type of a file named `name` (a name or a path; only the last extension counts,
 * case-insensitively), or undefined when the extension is unknown or there is none.
 */
export function mediaTypeOfName(name: string): string | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return undefined;
  return BY_EXTENSION[base.slice(dot + 1).toLowerCase()];
}

/**
 * True when `type` says something about the content: a non-empty `type/subtype` that is not
 * `application/octet-stream` (with or without parameters).
 */
export function isInformativeMediaType(type: string | null | undefined): type is string {
  if (typeof type !== 'string') return false;
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][\w.+-]*\/[\w.+-]+$/.test(bare) && bare !== OCTET_STREAM;
}
