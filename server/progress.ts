/**
 * A one-line terminal progress bar for long CLI jobs (validation with fixity, bag validation).
 * Draws only when the stream is a TTY; otherwise stays silent so piped and JSON output are clean.
 * Redraws at most every `intervalMs` (default 100 ms) to keep the cost negligible.
 */
import type { Writable } from 'node:stream';

/** What the bar shows: done/total files and bytes (totals may be unknown: 0). */
export interface ProgressState {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  label?: string;
}

/** Create a bar bound to `out`. `update` is cheap to call often; `done` clears the line. */
export function createProgressBar(out: Writable, enabled: boolean, intervalMs = 100) {
  let last = 0;
  const started = Date.now();
  const width = 30;
  return {
    update(state: ProgressState): void {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < intervalMs && state.files < state.totalFiles) return;
      last = now;
      const frac =
        state.totalBytes > 0
          ? state.bytes / state.totalBytes
          : state.totalFiles > 0
            ? state.files / state.totalFiles
            : 0;
      const filled = Math.max(0, Math.min(width, Math.round(frac * width)));
      const secs = Math.max(0.001, (now - started) / 1000);
      const rate = state.bytes / 1e6 / secs;
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      out.write(
        `\r${state.label ?? ''}[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${state.files}/${state.totalFiles || '?'} files ${formatBytes(state.bytes)} ${rate.toFixed(1)} MB/s `,
      );
    },
    done(): void {
      if (enabled) out.write('\r\x1b[K');
    },
  };
}

/** Human-readable byte count (decimal units, as MB/s figures are). */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
