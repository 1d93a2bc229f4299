/**
 * ExifTool: embedded metadata (EXIF, XMP, IPTC, document properties) of every file, as its JSON
 * report (`-json`: an array of objects, each with `SourceFile`), written to
 * `metadata/exiftool/exiftool.json`. `-r.` walks every folder (also ones named `.x`, which plain
 * `-r` skips), `-ext '*'` takes every file (not only types ExifTool knows), `-q` keeps the
 * "N image files read" counts out of the JSON, and large-file support is on.
 *
 * Exit codes: 0, or 1 when some file could not be read (its entry then carries an `Error` tag):
 * both give a usable report. Batches: the arrays of every run joined into one array, each entry
 * exactly as ExifTool printed it.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBatch } from './batch.js';
import type { PipelineTool, ToolIssue, ToolRun } from './port.js';

/** How to run ExifTool. */
export interface ExifToolConfig {
  /** The `exiftool` program (path or name on PATH). Default `exiftool`. */
  command?: string;
}

/** The ExifTool tool. */
export function exifTool(config: ExifToolConfig = {}): PipelineTool {
  const command = config.command ?? 'exiftool';
  const args = ['-json', '-q', '-r.', '-ext', '*', '-api', 'LargeFileSupport=1', '-charset', 'filename=utf8'];
  return {
    name: 'ExifTool',
    output: 'exiftool/exiftool.json',
    contentType: 'application/json',
    open: (workDir, timeoutMs) => new ExifToolRun(command, args, workDir, timeoutMs),
  };
}

class ExifToolRun implements ToolRun {
  readonly #out: string;
  #missing = false;
  #entries = 0;
  #ran = false;

  constructor(
    private readonly command: string,
    private readonly args: string[],
    private readonly workDir: string,
    private readonly timeoutMs: number,
  ) {
    this.#out = join(workDir, 'exiftool.json');
  }

  async batch(stageDir: string, folder: string, signal?: AbortSignal): Promise<ToolIssue[]> {
    if (this.#missing) return [];
    const r = await runBatch({
      tool: 'ExifTool',
      command: this.command,
      args: [...this.args, folder],
      stageDir,
      workDir: this.workDir,
      timeoutMs: this.timeoutMs,
      acceptedCodes: [0, 1],
      ...(signal && { signal }),
    });
    this.#missing = r.missing;
    if (r.output === null) return r.issues;
    const inner = arrayBody(r.output.toString('utf8'));
    if (inner === null) return [{ message: 'ExifTool: its output is not a JSON array' }];
    if (inner === '' && r.code !== 0) {
      // Nothing read and a failure exit: say why rather than pass it off as an empty folder.
      return [{ message: `ExifTool: exited with code ${r.code}${r.stderr ? `: ${r.stderr}` : ''}` }];
    }
    if (!this.#ran) await writeFile(this.#out, '[');
    this.#ran = true;
    if (inner !== '') {
      await appendFile(this.#out, `${this.#entries > 0 ? ',\n' : ''}${inner}`);
      this.#entries++;
    }
    return [];
  }

  async finish(): Promise<string | null> {
    if (!this.#ran) return null;
    await appendFile(this.#out, ']\n');
    return this.#out;
  }
}

/**
 * The text between the outer brackets of ExifTool's JSON array ('' for no entries: ExifTool
 * prints nothing at all when a folder has no files), or null when it is not a JSON array.
 */
export function arrayBody(text: string): string | null {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t === '') return '';
  if (!t.startsWith('[') || !t.endsWith(']')) return null;
  try {
    if (!Array.isArray(JSON.parse(t))) return null;
  } catch {
    return null;
  }
  return t.slice(1, -1).trim();
}
