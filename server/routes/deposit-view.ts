/**
 * A Deposit as every route shows it: the record, whether its Archival Group exists, and the
 * pipeline runs made on it (`pipelineJobs`, oldest first).
 */
import type { DepositRecord } from '../../lib/index.js';
import { depositJson } from '../json/deposits.js';
import { pipelineRunJson } from '../json/pipelines.js';
import type { ServerServices } from '../services.js';

/** The Deposit JSON of `d`. Throws what the records throw (NotFoundError once it is deleted). */
export async function show(s: ServerServices, d: DepositRecord): Promise<Record<string, unknown>> {
  const [exists, runs] = await Promise.all([
    s.deposits.groupExists(d.archivalGroupPath),
    s.pipelines.list(d.id),
  ]);
  return depositJson(
    s.urls,
    d,
    exists,
    runs.map((r) => pipelineRunJson(s.urls, r, d)),
  );
}
