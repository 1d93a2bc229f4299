/**
 * Namespace URIs. The reader matches elements by namespace URI, never by prefix: METS files
 * in the wild use `mets:`, `METS:` and default namespaces alike, and PREMIS comes in three
 * namespaces (1.x, 2.x, 3.x) — sometimes two in one document.
 */

export const NS = {
  mets: 'http://www.loc.gov/METS/',
  mods: 'http://www.loc.gov/mods/v3',
  premis3: 'http://www.loc.gov/premis/v3',
  xlink: 'http://www.w3.org/1999/xlink',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  dc: 'http://purl.org/dc/elements/1.1/',
  /** Strongroom's container for EXIF tags inside PREMIS objectCharacteristicsExtension. */
  exif: 'urn:strongroom:exif:1',
} as const;

/** The vocabularies the reader looks inside. */
export type Vocabulary = 'mets' | 'premis' | 'mods' | 'dc' | 'ddi' | 'exif' | 'other';

const PREMIS_URIS = new Set([
  'http://www.loc.gov/premis/v3',
  'info:lc/xmlns/premis-v2',
  'http://www.loc.gov/standards/premis',
  'http://www.loc.gov/standards/premis/v1',
]);

const DC_URIS = new Set(['http://purl.org/dc/elements/1.1/', 'http://purl.org/dc/terms/']);

const cache = new Map<string, Vocabulary>();

/** Classify a namespace URI. Unknown PREMIS variants are recognised by "premis" in the URI. */
export function vocabulary(uri: string | undefined): Vocabulary {
  if (!uri) return 'other';
  let v = cache.get(uri);
  if (v === undefined) {
    v = classify(uri);
    if (cache.size < 256) cache.set(uri, v);
  }
  return v;
}

function classify(uri: string): Vocabulary {
  if (uri === NS.mets) return 'mets';
  if (uri === NS.exif) return 'exif';
  if (PREMIS_URIS.has(uri) || /premis/i.test(uri)) return 'premis';
  if (uri === NS.mods || uri.startsWith('http://www.loc.gov/mods/')) return 'mods';
  if (DC_URIS.has(uri)) return 'dc';
  if (/ddi/i.test(uri)) return 'ddi';
  return 'other';
}
