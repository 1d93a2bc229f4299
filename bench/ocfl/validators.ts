/**
 * Independent validators run as child processes: ocfl-py's `ocfl-validate.py` (the reference
 * implementation) and rocfl (the fastest known), both installed by `bench/peers/install.sh`.
 * Used twice: to check a generated object before trusting it, and as timed peers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ocflPyValidate, rocflBin } from './paths.js';

/** A validator's verdict on one object. */
export interface Verdict {
  validator: string;
  valid: boolean;
  /** Last lines of its output (errors, warnings, final status). */
  summary: string;
}

/** The timed form of a peer run: wall seconds and the verdict. */
export interface TimedVerdict extends Verdict {
  seconds: number;
}

const TIMEOUT_MS = 20 * 60 * 1000;

function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** True when ocfl-py is installed. */
export function hasOcflPy(): boolean {
  return existsSync(ocflPyValidate);
}

/** True when rocfl is built. */
export function hasRocfl(): boolean {
  return existsSync(rocflBin);
}

/**
 * Validate an object directory with ocfl-py (content digests checked unless `fixity` is false).
 * Valid means exit 0 and a final "is VALID" line with no `[E…]` error. Never throws: a missing
 * ocfl-py gives `valid: false` with a summary that says so.
 */
export function runOcflPy(objectRoot: string, fixity = true): TimedVerdict {
  if (!hasOcflPy())
    return { validator: 'ocfl-py', valid: false, summary: 'not installed', seconds: Number.NaN };
  const args = fixity ? [objectRoot] : ['--no-check-digests', objectRoot];
  const started = performance.now();
  const r = spawnSync(ocflPyValidate, args, { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const valid = r.status === 0 && /is VALID/.test(out) && !/^\[E\d/m.test(out);
  return { validator: 'ocfl-py 2.1.0', valid, summary: tail(out), seconds };
}

/**
 * Validate an object with rocfl (`rocfl -r <storageRoot> validate <objectId>`; `--no-fixity-check`
 * when `fixity` is false). Valid means exit 0.
 */
export function runRocfl(storageRoot: string, objectId: string, fixity = true): TimedVerdict {
  if (!hasRocfl()) return { validator: 'rocfl', valid: false, summary: 'not installed', seconds: Number.NaN };
  const args = ['-r', storageRoot, 'validate', ...(fixity ? [] : ['--no-fixity-check']), objectId];
  const started = performance.now();
  const r = spawnSync(rocflBin, args, { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return { validator: 'rocfl 1.7.0', valid: r.status === 0, summary: tail(out), seconds };
}

/** ocfl-py's verdict for a generated object (what `generate.ts` records before trusting it). */
export function checkWithOcflPy(objectRoot: string): Verdict {
  const { validator, valid, summary } = runOcflPy(objectRoot, true);
  return { validator, valid, summary };
}
