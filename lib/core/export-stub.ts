/**
 * Export stubs: the placeholders a `stub` export writes instead of content (size, digest and
 * origin of the binary, so a client can browse a version without copying it). A stub must never
 * be stored as content: every reader of deposits and every copy into the repository checks for
 * the marker below. Pure: no I/O.
 */

/** The first line of every stub file: what {@link isExportStub} looks for. */
export const STUB_MAGIC = 'STRONGROOM-EXPORT-STUB/1\n';

/** Stubs are small: anything larger is content, whatever it starts with. */
export const STUB_MAX_BYTES = 64 * 1024;

/** True when `head` (the first bytes of a file, at least STUB_MAGIC's length) starts a stub. */
export function isExportStub(head: Uint8Array): boolean {
  if (head.length < STUB_MAGIC.length) return false;
  return Buffer.from(head.buffer, head.byteOffset, STUB_MAGIC.length).toString('latin1') === STUB_MAGIC;
}
