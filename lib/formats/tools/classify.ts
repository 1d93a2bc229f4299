/**
 * Which files of a deposit are tool outputs, and of which tool. Tool outputs live under the
 * deposit's `metadata/` folder (`data/metadata/` in a BagIt layout). Folder names say the tool
 * where the spec fixes them (`siegfried/`, `brunnhilde/`, `clamav/`, `exiftool/`); elsewhere
 * under metadata/, and where names vary, the content decides.
 */
import { looksLikeClamAv } from './clamav.js';
import { looksLikeDroidCsv } from './droid.js';
import { looksLikeExifTool, looksLikeExifToolJson } from './exiftool.js';
import { looksLikeSiegfriedCsv, looksLikeSiegfriedYaml } from './siegfried.js';

/** How a file will be read. */
export type ToolOutputKind =
  | 'siegfried-yaml'
  | 'siegfried-csv'
  | 'clamav'
  | 'exiftool'
  | 'exiftool-json'
  | 'droid-csv'
  | 'brunnhilde-report'
  | 'brunnhilde-siegfried-csv'
  | 'brunnhilde-viruscheck';

/** A recognised tool output. `group` ties together files of one tool run (a Brunnhilde folder). */
export interface ClassifiedOutput {
  path: string;
  kind: ToolOutputKind;
  group: string;
  /** The metadata root it sits in: `metadata` or `data/metadata`. */
  metadataRoot: string;
}

/** The metadata root and the path below it, or null when the path is not under one. */
export function metadataLocation(path: string): { root: string; rest: string } | null {
  for (const root of ['metadata', 'data/metadata']) {
    if (path.startsWith(`${root}/`)) return { root, rest: path.slice(root.length + 1) };
  }
  return null;
}

const NAMED_TOOL_FOLDERS = new Set(['siegfried', 'clamav', 'exiftool']);

/**
 * Classify one deposit file. `peek` returns the decoded start of the file (only called when the
 * name is not enough). Returns `null` for files that are not tool outputs we read, and
 * `'unrecognised'` for files inside a named tool folder whose content we do not recognise.
 */
export function classifyToolOutput(
  path: string,
  peek: () => string,
): ClassifiedOutput | 'unrecognised' | null {
  const loc = metadataLocation(path);
  if (loc === null) return null;
  const parts = loc.rest.split('/');
  const folder = parts[0]!.toLowerCase();
  const name = parts[parts.length - 1]!.toLowerCase();
  const base = { path, metadataRoot: loc.root };
  if (folder === 'brunnhilde' && parts.length > 1) {
    const group = `${loc.root}/${parts[0]}`;
    const kind = brunnhildeKind(
      parts.slice(1).map((p) => p.toLowerCase()),
      name,
    );
    return kind === null ? null : { ...base, kind, group };
  }
  const byContent = sniff(name, peek);
  if (byContent !== null) return { ...base, kind: byContent, group: path };
  return NAMED_TOOL_FOLDERS.has(folder) && parts.length > 1 ? 'unrecognised' : null;
}

function brunnhildeKind(inner: string[], name: string): ToolOutputKind | null {
  if (inner.includes('csv_reports')) return null;
  if (name === 'siegfried.csv') return 'brunnhilde-siegfried-csv';
  if (name === 'viruscheck-log.txt') return 'brunnhilde-viruscheck';
  if (name === 'report.html' && inner.length === 1) return 'brunnhilde-report';
  return null;
}

function sniff(name: string, peek: () => string): ToolOutputKind | null {
  if (!/\.(ya?ml|csv|log|txt|out|json)$/.test(name) && name.includes('.')) return null;
  const head = peek();
  if (looksLikeExifToolJson(head)) return 'exiftool-json';
  if (looksLikeSiegfriedYaml(head)) return 'siegfried-yaml';
  if (looksLikeSiegfriedCsv(head)) return 'siegfried-csv';
  if (looksLikeDroidCsv(head)) return 'droid-csv';
  if (looksLikeExifTool(head)) return 'exiftool';
  if (looksLikeClamAv(head)) return 'clamav';
  return null;
}
