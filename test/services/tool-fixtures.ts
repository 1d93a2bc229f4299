/**
 * Tool outputs for deposit tests, written the way the real tools print them (Siegfried YAML,
 * `exiftool -j`, `clamscan` logs), for the files a test names. Paths are given as the tool saw
 * them on a workstation, so the deposit has to place them.
 */

/** One file Siegfried identified. */
export interface SiegfriedEntry {
  path: string;
  size: number;
  sha256: string;
  puid: string;
  format: string;
  mime: string;
}

/** A Siegfried YAML report (`sf -hash sha256 -yaml`) for `entries`, scanned at `scandate`. */
export function siegfriedYaml(entries: readonly SiegfriedEntry[], scandate = '2025-04-25T14:14:41Z'): string {
  const head =
    `---\nsiegfried   : 1.11.0\nscandate    : ${scandate}\nsignature   : default.sig\n` +
    `created     : 2023-12-17T15:54:41+01:00\nidentifiers : \n  - name    : 'pronom'\n` +
    `    details : 'DROID_SignatureFile_V116.xml'\n`;
  const docs = entries.map(
    (e) =>
      `---\nfilename : '${e.path.replace(/'/g, "''")}'\nfilesize : ${e.size}\nmodified : 2025-04-20T12:45:53Z\n` +
      `errors   : \nsha256   : ${e.sha256}\nmatches  :\n  - ns      : 'pronom'\n    id      : '${e.puid}'\n` +
      `    format  : '${e.format}'\n    version : \n    mime    : '${e.mime}'\n    class   : \n` +
      `    basis   : 'extension match'\n    warning : \n`,
  );
  return head + docs.join('');
}

/** `exiftool -j` output: one object per file with its tags. */
export function exiftoolJson(files: Record<string, Record<string, string | number>>): string {
  return `${JSON.stringify(
    Object.entries(files).map(([path, tags]) => ({ SourceFile: path, ExifToolVersion: 12.76, ...tags })),
    null,
    2,
  )}\n`;
}

/** A `clamscan -r` log listing every file (`FOUND` with a signature name, else `OK`). */
export function clamscanLog(files: Record<string, string | null>, start = '2025:04:25 13:57:26'): string {
  const lines = Object.entries(files).map(
    ([path, virus]) => `${path}: ${virus === null ? 'OK' : `${virus} FOUND`}`,
  );
  const infected = Object.values(files).filter((v) => v !== null).length;
  return (
    `${lines.join('\n')}\n\n----------- SCAN SUMMARY -----------\nKnown viruses: 8706378\n` +
    `Engine version: 1.0.8\nScanned directories: 1\nScanned files: ${lines.length}\n` +
    `Infected files: ${infected}\nData scanned: 0.01 MB\nData read: 0.01 MB (ratio 1.00:1)\n` +
    `Time: 1.000 sec (0 m 1 s)\nStart Date: ${start}\nEnd Date:   ${start}\n`
  );
}
