/**
 * One pipeline run over a deposit: find its objects folder (`objects/`, or `data/objects/` in a
 * BagIt layout), stage it in bounded batches (pipeline-stage.ts), run every configured tool over
 * each batch, merge each tool's batch outputs into one report, and write the reports into the
 * deposit's metadata folder (`metadata/` or `data/metadata/`) where the readers of lib/formats
 * find them: `siegfried/siegfried.yaml`, `clamav/clamscan.log`, `exiftool/exiftool.json`.
 *
 * What went wrong is collected, not thrown: files that could not be staged, a tool that is not
 * installed, ran past its time or failed, infected files. Only storage and local disk failures
 * reject (the runner retries those). The local work folder is removed in every case.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { truncateForMessage } from '../core/paths.js';
import type { RecordError } from '../records/model.js';
import { type OpenStoreOptions, openStore } from '../storage/location.js';
import { joinKey } from '../storage/port.js';
import { type DepositOutputFile, writeDepositOutputs } from '../txn/deposit-outputs.js';
import { listObjects, objectsFolderCandidates, planBatches, stageBatch } from './pipeline-stage.js';
import type { PipelineTool, ToolIssue } from './tools/port.js';

/** Limits and places of a run. */
export interface PipelineLimits {
  /** Local folder under which each run makes (and removes) its work folder. */
  stagingDir: string;
  /** Time limit of one tool process, ms (default 1 hour). */
  toolTimeoutMs?: number;
  /** Most files staged at once (default 1000). */
  batchFiles?: number;
  /** Most bytes staged at once (default 1 GiB; a larger single file is staged alone). */
  batchBytes?: number;
}

/** What a run needs. */
export interface PipelineRunInput {
  /** The deposit's working area (`files`, a folder URI ending in `/`). */
  depositUri: string;
  /** The deposit's id (for messages). */
  depositId: string;
  /** The deposit's template (`None`, `RootLevel`, `BagIt`): where its objects folder is. */
  template: string;
  tools: readonly PipelineTool[];
  limits: PipelineLimits;
  store?: OpenStoreOptions;
  signal?: AbortSignal;
  /** Called once the tools have run and before their outputs are written (status `metadataCreated`). */
  onToolsDone?(): Promise<void>;
}

/** What a run did. */
export interface PipelineRunOutcome {
  /** Deposit keys of the outputs written. */
  outputs: string[];
  /** Files the tools were run over. */
  files: number;
  /** Everything that went wrong (at most {@link MAX_RUN_ERRORS}, the last saying how many more). */
  errors: RecordError[];
}

/** Most errors a run records. */
export const MAX_RUN_ERRORS = 1000;

const HOUR = 60 * 60 * 1000;

/** Run the tools over the deposit; see the module doc. */
export async function runPipeline(input: PipelineRunInput): Promise<PipelineRunOutcome> {
  const { limits, signal } = input;
  if (input.tools.length === 0)
    return { outputs: [], files: 0, errors: [{ message: 'no tools are configured for pipeline runs' }] };
  const store = await openStore(input.depositUri.replace(/\/+$/, ''), input.store ?? {});
  const listing = await listObjects(store, objectsFolderCandidates(input.template), signal);
  if (listing === null || listing.files.length === 0) {
    const issues = listing?.skipped ?? [];
    return {
      outputs: [],
      files: 0,
      errors: capErrors([
        ...issues,
        { message: `Could not find an objects folder with files in deposit ${input.depositId}` },
      ]),
    };
  }
  const issues: ToolIssue[] = [...listing.skipped];
  await mkdir(limits.stagingDir, { recursive: true });
  const work = await mkdtemp(join(limits.stagingDir, 'pipeline-'));
  try {
    const stageDir = join(work, 'stage');
    const runs = await Promise.all(
      input.tools.map(async (tool, i) => {
        const dir = join(work, `tool-${i}`);
        await mkdir(dir);
        return { tool, run: tool.open(dir, limits.toolTimeoutMs ?? HOUR) };
      }),
    );
    let files = 0;
    const batches = planBatches(listing.files, limits.batchFiles ?? 1000, limits.batchBytes ?? 2 ** 30);
    for (const batch of batches) {
      signal?.throwIfAborted();
      const staged = await stageBatch(store, batch, stageDir, signal);
      issues.push(...staged.issues);
      files += staged.staged;
      if (staged.staged === 0) continue;
      // One tool after the other: each reads the whole batch, and the machine's cores are shared.
      for (const { run } of runs) {
        issues.push(...(await run.batch(stageDir, listing.folder, signal)));
        // A cancelled run (shutdown) is not a run with errors: stop here and let it be retried.
        signal?.throwIfAborted();
      }
    }
    await rm(stageDir, { recursive: true, force: true });
    const metadataRoot = listing.folder === 'data/objects' ? 'data/metadata' : 'metadata';
    const outputs: DepositOutputFile[] = [];
    for (const { tool, run } of runs) {
      const local = await run.finish();
      if (local !== null)
        outputs.push({
          key: joinKey(metadataRoot, tool.output),
          localPath: local,
          contentType: tool.contentType,
        });
    }
    await input.onToolsDone?.();
    const written = await writeDepositOutputs(input.depositUri, outputs, {
      ...(input.store && { store: input.store }),
      ...(signal && { signal }),
    });
    return { outputs: written, files, errors: capErrors(issues) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Messages as record errors, cut to {@link MAX_RUN_ERRORS}. */
function capErrors(issues: readonly ToolIssue[]): RecordError[] {
  const cut = (m: string) => truncateForMessage(m, 1000);
  if (issues.length <= MAX_RUN_ERRORS) return issues.map((i) => ({ message: cut(i.message) }));
  const kept = issues.slice(0, MAX_RUN_ERRORS - 1).map((i) => ({ message: cut(i.message) }));
  kept.push({ message: `… and ${issues.length - kept.length} more` });
  return kept;
}
