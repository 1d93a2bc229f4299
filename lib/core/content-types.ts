/**
 * Content types from file extensions: the last resort after the METS and tool outputs (Siegfried
 * MIME), and never replaced by the `application/octet-stream` an S3 upload often carries. A
 * modest table of what archives hold; anything else is `application/octet-stream`.
 *
 * Pure module.
 */

const BY_EXTENSION: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null), {
    txt: 'text/plain',
    csv: 'text/csv',
    tsv: 'text/tab-separated-values',
    htm: 'text/html',
    html: 'text/html',
    css: 'text/css',
    md: 'text/markdown',
    xml: 'application/xml',
    json: 'application/json',
    jsonld: 'application/ld+json',
    nt: 'application/n-triples',
    ttl: 'text/turtle',
    rdf: 'application/rdf+xml',
    pdf: 'application/pdf',
    epub: 'application/epub+zip',
    zip: 'application/zip',
    gz: 'application/gzip',
    tar: 'application/x-tar',
    doc: 'application/msword',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xls: 'application/vnd.ms-excel',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ppt: 'application/vnd.ms-powerpoint',
    pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    odt: 'application/vnd.oasis.opendocument.text',
    rtf: 'application/rtf',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    jp2: 'image/jp2',
    jpx: 'image/jpx',
    png: 'image/png',
    gif: 'image/gif',
    tif: 'image/tiff',
    tiff: 'image/tiff',
    bmp: 'image/bmp',
    webp: 'image/webp',
    svg: 'image/svg+xml',
    mp3: 'audio/mpeg',
    wav: 'audio/wav',
    flac: 'audio/flac',
    ogg: 'audio/ogg',
    mp4: 'video/mp4',
    mov: 'video/quicktime',
    mkv: 'video/x-matroska',
    avi: 'video/x-msvideo',
    warc: 'application/warc',
  }),
);

/** The content type of a file name by its extension (case-insensitive), else `application/octet-stream`. */
export function contentTypeForName(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot === name.length - 1) return 'application/octet-stream';
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}
