/**
 * Siegfried (`sf`), the format identifier: its YAML report (the default output, which the spec
 * reads at `metadata/siegfried/siegfried.yaml`) with a SHA-256 per file. `-coe` keeps a walk going
 * past a file it cannot read (the file's `errors` field says why).
 *
 * Batches: each `sf` run prints a header document (version, signature file, identifiers) and one
 * document per file. The merged report is the first run's header followed by every run's file
 * documents, which is exactly what one `sf` over the whole folder would print (scan dates aside).
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBatch } from './batch.js';
import type { PipelineTool, ToolIssue, ToolRun } from './port.js';

/** How to run Siegfried. */
export interface SiegfriedConfig {
  /** The `sf` program (path or name on PATH). Default `sf`. */
  command?: string;
  /** Siegfried's home folder holding the signature file (`-home`); default: sf's own default. */
  home?: string;
  /** Signature file name in `home`, or a path (`-sig`); default: sf's own (`default.sig`). */
  signature?: string;
}

/** The Siegfried tool. */
export function siegfriedTool(config: SiegfriedConfig = {}): PipelineTool {
  const command = config.command ?? 'sf';
  const args = [
    ...(config.home ? ['-home', config.home] : []),
    ...(config.signature ? ['-sig', config.signature] : []),
    '-hash',
    'sha256',
    '-coe',
  ];
  return {
    name: 'Siegfried',
    output: 'siegfried/siegfried.yaml',
    contentType: 'application/yaml',
    open: (workDir, timeoutMs) => new SiegfriedRun(command, args, workDir, timeoutMs),
  };
}

class SiegfriedRun implements ToolRun {
  readonly #out: string;
  #headerWritten = false;
  #missing = false;

  constructor(
    private readonly command: string,
    private readonly args: string[],
    private readonly workDir: string,
    private readonly timeoutMs: number,
  ) {
    this.#out = join(workDir, 'siegfried.yaml');
  }

  async batch(stageDir: string, folder: string, signal?: AbortSignal): Promise<ToolIssue[]> {
    if (this.#missing) return [];
    const r = await runBatch({
      tool: 'Siegfried',
      command: this.command,
      args: [...this.args, folder],
      stageDir,
      workDir: this.workDir,
      timeoutMs: this.timeoutMs,
      ...(signal && { signal }),
    });
    this.#missing = r.missing;
    if (r.output === null) return r.issues;
    const text = r.output.toString('utf8');
    const split = splitHeader(text);
    if (split === null) return [{ message: 'Siegfried: its output is not a Siegfried YAML report' }];
    if (!this.#headerWritten) {
      await writeFile(this.#out, text);
      this.#headerWritten = true;
    } else {
      await appendFile(this.#out, split.files);
    }
    return [];
  }

  async finish(): Promise<string | null> {
    return this.#headerWritten ? this.#out : null;
  }
}

/**
 * Split `sf` YAML output into its header document and the file documents after it, or null when
 * it does not start like a Siegfried report.
 */
export function splitHeader(text: string): { header: string; files: string } | null {
  const body = text.replace(/^\uFEFF/, '');
  if (!/^---\r?\nsiegfried\s*:/.test(body)) return null;
  // The second `---` line starts the first file's document (the first line is the header's).
  const next = /\n---\r?\n/.exec(body.slice(1));
  if (next === null) return { header: body, files: '' };
  const cut = 1 + next.index + 1;
  return { header: body.slice(0, cut), files: body.slice(cut) };
}
