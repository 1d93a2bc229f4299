/**
 * The pipeline's real tools for tests: where scripts/tools.sh installed them (STRONGROOM_SF,
 * STRONGROOM_SF_HOME, STRONGROOM_SF_SIG, STRONGROOM_CLAMSCAN, STRONGROOM_EXIFTOOL; scripts/test.sh
 * exports them). Without them a test fails in CI (CI=true: the tools must run) and skips loudly
 * elsewhere. ClamAV has no network for its database here: {@link writeEicarDatabase} writes a
 * one-signature database matching the EICAR test file, which {@link eicarBytes} builds (from two
 * halves, so this source file itself is no EICAR match for a scanner looking at the repository).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { PipelineToolsConfig } from '../../lib/index.js';

/** Where the tools are. */
export interface ToolPaths {
  sf: string;
  sfHome: string;
  sfSig: string;
  clamscan: string;
  exiftool: string;
}

/** The installed tools, or null after failing (CI) or skipping (elsewhere) with the reason. */
export function requireTools(t: Test, env: NodeJS.ProcessEnv = process.env): ToolPaths | null {
  const names = ['STRONGROOM_SF', 'STRONGROOM_SF_HOME', 'STRONGROOM_CLAMSCAN', 'STRONGROOM_EXIFTOOL'];
  const missing = names.filter((n) => !env[n]);
  if (missing.length === 0) {
    return {
      sf: env.STRONGROOM_SF!,
      sfHome: env.STRONGROOM_SF_HOME!,
      sfSig: env.STRONGROOM_SF_SIG || 'default.sig',
      clamscan: env.STRONGROOM_CLAMSCAN!,
      exiftool: env.STRONGROOM_EXIFTOOL!,
    };
  }
  const reason = `pipeline tools not installed (${missing.join(', ')} unset): run eval "$(bash scripts/tools.sh)" (scripts/test.sh does it)`;
  if (env.CI === 'true') t.fail(`${reason}; CI=true: the pipeline tests must run`);
  else {
    process.stderr.write(`\n*** SKIPPED: ${reason}\n`);
    t.pass(reason, { skip: reason });
  }
  return null;
}

/** The EICAR anti-virus test file (68 bytes), assembled at run time. */
export function eicarBytes(): Buffer {
  const head = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$';
  const tail = 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
  return Buffer.from(head + tail, 'latin1');
}

/** The name our test signature gives the EICAR file (ClamAV adds `.UNOFFICIAL`). */
export const EICAR_SIGNATURE = 'Strongroom.Test.EICAR';

/** Write a ClamAV database folder with one MD5 signature (`.hdb`) for the EICAR file; returns the folder. */
export function writeEicarDatabase(dir: string): string {
  const db = join(dir, 'clamav-db');
  mkdirSync(db, { recursive: true });
  const bytes = eicarBytes();
  const md5 = createHash('md5').update(bytes).digest('hex');
  writeFileSync(join(db, 'strongroom-test.hdb'), `${md5}:${bytes.length}:${EICAR_SIGNATURE}\n`);
  return db;
}

/** The tool configuration for the installed tools and a test database. */
export function toolsConfig(paths: ToolPaths, clamDb: string): PipelineToolsConfig {
  return {
    siegfried: { command: paths.sf, home: paths.sfHome, signature: paths.sfSig },
    clamav: { command: paths.clamscan, database: clamDb },
    exiftool: { command: paths.exiftool },
  };
}

/** A 1×1 PNG (a real image, so ExifTool and Siegfried have something to say about it). */
export function tinyPng(): Buffer {
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
}
