/**
 * The metsHdr dates (CREATEDATE, LASTMODDATE) of a METS file, read from its first bytes. The
 * reader's model leaves them out (no consumer of a deposit's METS needs them), but an edit of
 * the platform's own METS must keep the date it was created. Only well-formed xs:dateTime values
 * are returned; anything else reads as null. Pure.
 */

/** How much of the file is looked at: our writer puts metsHdr within the first few hundred bytes. */
export const HEADER_DATES_SCAN_BYTES = 16 * 1024;

const HDR = /<(?:[A-Za-z_][\w.-]*:)?metsHdr\b([^>]*)>/;
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** CREATEDATE and LASTMODDATE of the metsHdr in `head` (the start of a METS file), or nulls. */
export function metsHeaderDates(head: string): { created: string | null; lastModified: string | null } {
  const attrs = HDR.exec(head.slice(0, HEADER_DATES_SCAN_BYTES))?.[1] ?? '';
  return { created: attribute(attrs, 'CREATEDATE'), lastModified: attribute(attrs, 'LASTMODDATE') };
}

function attribute(attrs: string, name: string): string | null {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  const value = (m?.[1] ?? m?.[2])?.trim();
  return value !== undefined && DATE_TIME.test(value) ? value : null;
}
