/**
 * ProcessPipelineResult as the Preservation API shows it (spec "ProcessPipelineResult"): records
 * hold ids; this turns them into URLs under the base URL. `errors` is null when there are none,
 * as the reference implementation answers.
 */
import type { DepositRecord, PipelineRunRecord } from '../../lib/index.js';
import type { ApiUrls } from './deposits.js';

/** A ProcessPipelineResult of `deposit`. */
export function pipelineRunJson(
  urls: ApiUrls,
  run: PipelineRunRecord,
  deposit: Pick<DepositRecord, 'archivalGroupName'>,
): Record<string, unknown> {
  return {
    id: `${urls.deposit(run.depositId)}/pipelinerunjobs/${run.id}`,
    type: 'ProcessPipelineResult',
    jobId: run.id,
    deposit: urls.deposit(run.depositId),
    created: run.created,
    createdBy: urls.agent(run.createdBy),
    lastModified: run.lastModified,
    lastModifiedBy: urls.agent(run.lastModifiedBy),
    archivalGroupName: deposit.archivalGroupName,
    runUser: run.runUser,
    status: run.status,
    dateBegun: run.dateBegun,
    dateFinished: run.dateFinished,
    errors:
      run.errors.length === 0 ? null : run.errors.map((e) => ({ message: e.message, id: e.id ?? null })),
  };
}
