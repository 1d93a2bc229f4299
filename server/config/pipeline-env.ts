/**
 * The deposit pipeline's settings from the environment (rows of the table in server-config.ts):
 * which tools run, where each program is, and the limits of a run. `scripts/tools.sh` installs
 * the tools and prints the `STRONGROOM_SF…`, `STRONGROOM_CLAMSCAN` and `STRONGROOM_EXIFTOOL` lines.
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | `STRONGROOM_PIPELINE_TOOLS` | `siegfried,clamav,exiftool` | tools a run uses (`none` for none) |
 * | `STRONGROOM_SF` | `sf` | Siegfried's program |
 * | `STRONGROOM_SF_HOME` / `STRONGROOM_SF_SIG` | sf's own | Siegfried's home folder and signature file |
 * | `STRONGROOM_CLAMSCAN` | `clamscan` | ClamAV's scanner |
 * | `STRONGROOM_CLAMAV_DB` | ClamAV's own | signature database file or folder (`clamscan -d`) |
 * | `STRONGROOM_EXIFTOOL` | `exiftool` | ExifTool |
 * | `STRONGROOM_PIPELINE_TIMEOUT` | 3600 | seconds one tool process may run before it is killed |
 * | `STRONGROOM_PIPELINE_BATCH_FILES` | 1000 | most files staged on local disk at once |
 * | `STRONGROOM_PIPELINE_BATCH_MB` | 1024 | most MiB staged at once (a larger file is staged alone) |
 * | `STRONGROOM_PIPELINE_STAGING` | `<data>/pipeline-staging` | local folder for staged files and outputs |
 */
import { resolve } from 'node:path';
import { InvalidInputError, type PipelineLimits, type PipelineToolsConfig } from '../../lib/index.js';
import type { Environment } from './s3-env.js';

/** The pipeline's configuration. */
export interface PipelineConfig {
  tools: PipelineToolsConfig;
  limits: PipelineLimits;
}

const TOOL_NAMES = ['siegfried', 'clamav', 'exiftool'] as const;

function set(env: Environment, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function int(env: Environment, name: string, fallback: number, max: number): number {
  const raw = set(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InvalidInputError(
      `${name} must be a whole number from 1 to ${max}, not ${JSON.stringify(raw)}`,
    );
  return n;
}

function chosenTools(env: Environment): Set<string> {
  const raw = (set(env, 'STRONGROOM_PIPELINE_TOOLS') ?? TOOL_NAMES.join(',')).trim().toLowerCase();
  if (raw === 'none') return new Set();
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const n of names) {
    if (!(TOOL_NAMES as readonly string[]).includes(n))
      throw new InvalidInputError(
        `STRONGROOM_PIPELINE_TOOLS: unknown tool ${JSON.stringify(n)} (known: ${TOOL_NAMES.join(', ')}, or none)`,
      );
  }
  return new Set(names);
}

/** Read the pipeline settings from `env`; `dataDir` holds the default staging folder. Throws InvalidInputError. */
export function pipelineConfigFromEnv(env: Environment, dataDir: string, cwd: string): PipelineConfig {
  const tools = chosenTools(env);
  const home = set(env, 'STRONGROOM_SF_HOME');
  const sig = set(env, 'STRONGROOM_SF_SIG');
  const db = set(env, 'STRONGROOM_CLAMAV_DB');
  return {
    tools: {
      siegfried: tools.has('siegfried') && {
        command: set(env, 'STRONGROOM_SF') ?? 'sf',
        ...(home && { home }),
        ...(sig && { signature: sig }),
      },
      clamav: tools.has('clamav') && {
        command: set(env, 'STRONGROOM_CLAMSCAN') ?? 'clamscan',
        ...(db && { database: db }),
      },
      exiftool: tools.has('exiftool') && { command: set(env, 'STRONGROOM_EXIFTOOL') ?? 'exiftool' },
    },
    limits: {
      stagingDir: resolve(
        cwd,
        set(env, 'STRONGROOM_PIPELINE_STAGING') ?? resolve(dataDir, 'pipeline-staging'),
      ),
      toolTimeoutMs: int(env, 'STRONGROOM_PIPELINE_TIMEOUT', 3600, 7 * 86_400) * 1000,
      batchFiles: int(env, 'STRONGROOM_PIPELINE_BATCH_FILES', 1000, 1_000_000),
      batchBytes: int(env, 'STRONGROOM_PIPELINE_BATCH_MB', 1024, 1024 * 1024) * 1024 * 1024,
    },
  };
}
