/**
 * Building and changing records from inputs: defaults, field checks, revision and timestamps.
 * Shared by every engine (and meant for a PostgreSQL one too), so a record looks the same
 * whichever store wrote it. Pure: `now` is passed in.
 *
 * Inputs are read field by field through own-property checks against fixed tables, so unknown
 * keys (`__proto__`, `constructor`, anything else) are ignored, never copied into a record.
 */
import { TooLargeError } from '../core/errors.js';
import type { ImportJob } from '../core/import-job.js';
import { truncateForMessage } from '../core/paths.js';
import { FieldChecks, has, MAX_NAME_CHARS, MAX_TEXT_CHARS, plainCopy } from './checks.js';
import { AGENT_ID_PATTERN, CLIENT_ID_PATTERN } from './ids.js';
import {
  type ActivityRecord,
  type AgentRecord,
  type ClientRecord,
  DEPOSIT_STATUSES,
  DEPOSIT_TEMPLATES,
  type DepositRecord,
  type ExportRecord,
  IMPORT_JOB_STATUSES,
  IMPORT_OUTCOME_LISTS,
  type ImportJobRecord,
  type ImportJobResultRecord,
  type JobProgress,
  PIPELINE_RUN_STATUSES,
  type PipelineRunRecord,
  type RecordError,
} from './model.js';
import type {
  AgentInput,
  ClientPatch,
  DepositPatch,
  ExportPatch,
  ImportJobResultPatch,
  NewActivity,
  NewClient,
  NewDeposit,
  NewExport,
  NewImportJob,
  NewPipelineRun,
  PipelineRunPatch,
} from './port.js';

/** Most errors one record keeps; the rest are summarised in a last entry. */
export const MAX_RECORD_ERRORS = 1000;
/** Longest error message kept, in characters. */
export const MAX_ERROR_MESSAGE_CHARS = 2000;
/** Most items (all lists together) one stored import job or result may hold. */
export const MAX_JOB_ITEMS = 1_000_000;

type Check = (checks: FieldChecks, field: string, value: unknown) => void;

const nullableAgent: Check = (c, f, v) => c.agent(f, v, true);
const nullableTime: Check = (c, f, v) => c.timestamp(f, v, true);
const nullableVersion: Check = (c, f, v) => c.version(f, v, true);

const DEPOSIT_FIELDS: Record<keyof DepositPatch, Check> = {
  status: (c, f, v) => c.oneOf(f, v, DEPOSIT_STATUSES),
  active: (c, f, v) => c.bool(f, v),
  archivalGroupPath: (c, f, v) => c.groupPath(f, v),
  archivalGroupName: (c, f, v) => c.text(f, v, MAX_NAME_CHARS),
  submissionText: (c, f, v) => c.text(f, v, MAX_TEXT_CHARS),
  metsETag: (c, f, v) => c.text(f, v, 200),
  metsManaged: (c, f, v) => c.bool(f, v),
  preserved: nullableTime,
  preservedBy: nullableAgent,
  versionPreserved: nullableVersion,
  exported: nullableTime,
  exportedBy: nullableAgent,
  versionExported: nullableVersion,
  lockedBy: nullableAgent,
  lockDate: nullableTime,
  template: (c, f, v) => c.oneOf(f, v, DEPOSIT_TEMPLATES),
};

/** Copy the fields of `table` present (and not undefined) in `patch` onto `target`, checking each. */
function copyFields<T extends object>(
  target: T,
  patch: object,
  table: Record<string, Check>,
  checks: FieldChecks,
): void {
  for (const field of Object.keys(table)) {
    if (!has(patch, field)) continue;
    const value = (patch as Record<string, unknown>)[field];
    if (value === undefined) continue;
    table[field]!(checks, field, value);
    (target as Record<string, unknown>)[field] = value;
  }
}

/** A new deposit record from `input` at time `now`. InvalidInputError for bad fields. */
export function buildDeposit(input: NewDeposit, now: string): DepositRecord {
  const checks = new FieldChecks('deposit');
  checks.id('id', input.id);
  checks.location('files', input.files);
  checks.agent('createdBy', input.createdBy);
  const record: DepositRecord = {
    id: input.id,
    revision: 1,
    status: 'new',
    active: true,
    archivalGroupPath: null,
    archivalGroupName: null,
    submissionText: null,
    template: 'None',
    files: input.files,
    metsETag: null,
    metsManaged: false,
    created: now,
    createdBy: input.createdBy,
    lastModified: now,
    lastModifiedBy: input.createdBy,
    preserved: null,
    preservedBy: null,
    versionPreserved: null,
    exported: null,
    exportedBy: null,
    versionExported: null,
    lockedBy: null,
    lockDate: null,
  };
  const allowed = [
    'status',
    'template',
    'archivalGroupPath',
    'archivalGroupName',
    'submissionText',
    'metsETag',
    'metsManaged',
    'exported',
    'exportedBy',
    'versionExported',
  ];
  copyFields(record, input, pick(DEPOSIT_FIELDS, allowed), checks);
  checks.done();
  return record;
}

/** `current` changed by `patch` (a new revision, `lastModified` = now, `lastModifiedBy` = `by` when given). */
export function patchDeposit(
  current: DepositRecord,
  patch: DepositPatch,
  by: string | undefined,
  now: string,
): DepositRecord {
  const checks = new FieldChecks('deposit update');
  if (by !== undefined) checks.agent('by', by);
  const next = { ...current };
  copyFields(next, patch, DEPOSIT_FIELDS, checks);
  checks.done();
  return touch(next, current, by, now);
}

function touch<T extends { revision: number; lastModified: string; lastModifiedBy?: string }>(
  next: T,
  current: T,
  by: string | undefined,
  now: string,
): T {
  next.revision = current.revision + 1;
  next.lastModified = now;
  if (by !== undefined && 'lastModifiedBy' in next) next.lastModifiedBy = by;
  return next;
}

function pick(table: Record<string, Check>, keys: string[]): Record<string, Check> {
  const out: Record<string, Check> = {};
  for (const key of keys) out[key] = table[key]!;
  return out;
}

/** A stored copy of `job`: plain JSON data only, at most {@link MAX_JOB_ITEMS} items. TooLargeError beyond. */
function plainJob(job: ImportJob): ImportJob {
  let items = 0;
  for (const value of Object.values(job)) if (Array.isArray(value)) items += value.length;
  if (items > MAX_JOB_ITEMS)
    throw new TooLargeError(`an import job may list at most ${MAX_JOB_ITEMS} items`, MAX_JOB_ITEMS);
  return plainCopy(job);
}

/** The stored job and its `waiting` result from `input`. InvalidInputError, TooLargeError. */
export function buildImportJob(
  input: NewImportJob,
  now: string,
): { job: ImportJobRecord; result: ImportJobResultRecord } {
  const checks = new FieldChecks('import job');
  checks.id('id', input.id);
  checks.id('depositId', input.depositId);
  checks.groupPath('archivalGroupPath', input.archivalGroupPath, false);
  checks.text('originalId', input.originalId, 4096);
  checks.version('sourceVersion', input.sourceVersion, true);
  checks.agent('createdBy', input.createdBy);
  if (typeof input.job !== 'object' || input.job === null || Array.isArray(input.job))
    checks.add('job', 'must be an ImportJob object');
  checks.done();
  const originalId = input.originalId ?? null;
  const job: ImportJobRecord = {
    id: input.id,
    depositId: input.depositId,
    originalId,
    job: plainJob(input.job),
    created: now,
    createdBy: input.createdBy,
  };
  const result: ImportJobResultRecord = {
    id: input.id,
    revision: 1,
    depositId: input.depositId,
    archivalGroupPath: input.archivalGroupPath,
    originalImportJobId: originalId,
    status: 'waiting',
    created: now,
    createdBy: input.createdBy,
    lastModified: now,
    lastModifiedBy: input.createdBy,
    dateBegun: null,
    dateFinished: null,
    sourceVersion: input.sourceVersion ?? null,
    newVersion: null,
    errors: [],
    progress: null,
    containersAdded: [],
    binariesAdded: [],
    containersDeleted: [],
    binariesDeleted: [],
    binariesPatched: [],
    containersRenamed: [],
    binariesRenamed: [],
  };
  return { job, result };
}

const errorsCheck: Check = (c, f, v) => {
  if (!Array.isArray(v)) c.add(f, 'must be a list of errors');
};
const progressCheck: Check = (c, f, v) => {
  if (v === null) return;
  if (typeof v !== 'object' || Array.isArray(v)) return c.add(f, 'must be an object or null');
  const p = v as Record<string, unknown>;
  c.count(`${f}.itemsDone`, p['itemsDone']);
  for (const k of ['itemsTotal', 'bytesDone', 'bytesTotal']) c.count(`${f}.${k}`, p[k], true);
};
const itemsCheck: Check = (c, f, v) => {
  if (!Array.isArray(v)) c.add(f, 'must be a list');
};

const RESULT_FIELDS: Record<string, Check> = {
  status: (c, f, v) => c.oneOf(f, v, IMPORT_JOB_STATUSES),
  dateBegun: nullableTime,
  dateFinished: nullableTime,
  newVersion: nullableVersion,
  sourceVersion: nullableVersion,
  errors: errorsCheck,
  progress: progressCheck,
  ...Object.fromEntries(IMPORT_OUTCOME_LISTS.map((k) => [k, itemsCheck])),
};

/** `current` changed by `patch`. Errors are bounded, lists and progress copied as plain data. */
export function patchImportJobResult(
  current: ImportJobResultRecord,
  patch: ImportJobResultPatch,
  by: string | undefined,
  now: string,
): ImportJobResultRecord {
  const checks = new FieldChecks('import job result update');
  if (by !== undefined) checks.agent('by', by);
  const next = { ...current };
  copyFields(next, patch, RESULT_FIELDS, checks);
  checks.done();
  let items = 0;
  for (const list of IMPORT_OUTCOME_LISTS) items += next[list].length;
  if (items > MAX_JOB_ITEMS)
    throw new TooLargeError(`an import job result may list at most ${MAX_JOB_ITEMS} items`, MAX_JOB_ITEMS);
  for (const list of IMPORT_OUTCOME_LISTS)
    if (next[list] !== current[list]) next[list] = plainCopy(next[list]);
  next.errors = boundedErrors(next.errors);
  next.progress = plainProgress(next.progress);
  return touch(next, current, by, now);
}

/**
 * `errors` as stored: each `{ message, id? }` with the message cut to
 * {@link MAX_ERROR_MESSAGE_CHARS}, at most {@link MAX_RECORD_ERRORS} entries (a last one says how
 * many more there were). Errors are written by our own code, so they are bounded, not refused.
 */
export function boundedErrors(errors: readonly RecordError[]): RecordError[] {
  const out: RecordError[] = [];
  for (const error of errors.slice(0, MAX_RECORD_ERRORS)) {
    const message = truncateForMessage(String(error?.message ?? ''), MAX_ERROR_MESSAGE_CHARS);
    const id = error?.id;
    out.push(
      typeof id === 'string' ? { message, id: truncateForMessage(id, MAX_ERROR_MESSAGE_CHARS) } : { message },
    );
  }
  if (errors.length > MAX_RECORD_ERRORS)
    out.push({ message: `… and ${errors.length - MAX_RECORD_ERRORS} more errors` });
  return out;
}

function plainProgress(progress: JobProgress | null): JobProgress | null {
  if (progress === null) return null;
  const out: JobProgress = { itemsDone: progress.itemsDone };
  for (const k of ['itemsTotal', 'bytesDone', 'bytesTotal'] as const)
    if (progress[k] !== undefined) out[k] = progress[k];
  return out;
}

/** A new export record. */
export function buildExport(input: NewExport, now: string): ExportRecord {
  const checks = new FieldChecks('export');
  checks.id('id', input.id);
  checks.groupPath('archivalGroupPath', input.archivalGroupPath, false);
  checks.version('versionRequested', input.versionRequested, true);
  if (input.mode !== undefined) checks.oneOf('mode', input.mode, ['full', 'mets', 'stub']);
  checks.agent('createdBy', input.createdBy);
  checks.done();
  return {
    id: input.id,
    revision: 1,
    archivalGroupPath: input.archivalGroupPath,
    versionRequested: input.versionRequested ?? null,
    versionExported: null,
    mode: input.mode ?? 'full',
    status: 'waiting',
    created: now,
    createdBy: input.createdBy,
    lastModified: now,
    dateBegun: null,
    dateFinished: null,
    errors: [],
    progress: null,
  };
}

const EXPORT_FIELDS: Record<keyof ExportPatch, Check> = {
  status: (c, f, v) => c.oneOf(f, v, ['waiting', 'running', 'completed', 'failed']),
  versionExported: nullableVersion,
  dateBegun: nullableTime,
  dateFinished: nullableTime,
  errors: errorsCheck,
  progress: progressCheck,
};

/** `current` changed by `patch`. */
export function patchExport(current: ExportRecord, patch: ExportPatch, now: string): ExportRecord {
  const checks = new FieldChecks('export update');
  const next = { ...current };
  copyFields(next, patch, EXPORT_FIELDS, checks);
  checks.done();
  next.errors = boundedErrors(next.errors);
  next.progress = plainProgress(next.progress);
  return touch(next, current, undefined, now);
}

/** A new `waiting` pipeline run. */
export function buildPipelineRun(input: NewPipelineRun, now: string): PipelineRunRecord {
  const checks = new FieldChecks('pipeline run');
  checks.id('id', input.id);
  checks.id('depositId', input.depositId);
  checks.agent('createdBy', input.createdBy);
  checks.text('runUser', input.runUser, 200);
  checks.done();
  return {
    id: input.id,
    revision: 1,
    depositId: input.depositId,
    status: 'waiting',
    runUser: input.runUser ?? null,
    created: now,
    createdBy: input.createdBy,
    lastModified: now,
    lastModifiedBy: input.createdBy,
    dateBegun: null,
    dateFinished: null,
    errors: [],
  };
}

const PIPELINE_FIELDS: Record<keyof PipelineRunPatch, Check> = {
  status: (c, f, v) => c.oneOf(f, v, PIPELINE_RUN_STATUSES),
  dateBegun: nullableTime,
  dateFinished: nullableTime,
  errors: errorsCheck,
};

/** `current` changed by `patch`. */
export function patchPipelineRun(
  current: PipelineRunRecord,
  patch: PipelineRunPatch,
  by: string | undefined,
  now: string,
): PipelineRunRecord {
  const checks = new FieldChecks('pipeline run update');
  if (by !== undefined) checks.agent('by', by);
  const next = { ...current };
  copyFields(next, patch, PIPELINE_FIELDS, checks);
  checks.done();
  next.errors = boundedErrors(next.errors);
  return touch(next, current, by, now);
}

/** Check an activity to append (the store assigns `seq` and `endTime`). */
export function buildActivity(input: NewActivity, seq: number, endTime: string): ActivityRecord {
  const checks = new FieldChecks('activity');
  checks.oneOf('type', input.type, ['Create', 'Update', 'Delete']);
  checks.groupPath('archivalGroupPath', input.archivalGroupPath, false);
  checks.version('version', input.version, true);
  checks.agent('actor', input.actor, true);
  checks.id('importJobId', input.importJobId, true);
  checks.id('depositId', input.depositId, true);
  checks.done();
  const record: ActivityRecord = {
    seq,
    type: input.type,
    archivalGroupPath: input.archivalGroupPath,
    version: input.version ?? null,
    endTime,
    actor: input.actor ?? null,
  };
  // Only when given: activities written before these fields existed have neither.
  if (input.importJobId) record.importJobId = input.importJobId;
  if (input.depositId) record.depositId = input.depositId;
  return record;
}

/**
 * The `endTime` of the next activity: `now`, or 1 ms after the last one when the clock has not
 * moved past it (same millisecond, or a clock stepped back), so times strictly increase.
 */
export function nextActivityTime(lastEndTime: string | null, now: number): string {
  const last = lastEndTime === null ? Number.NEGATIVE_INFINITY : Date.parse(lastEndTime);
  return new Date(Math.max(now, last + 1)).toISOString();
}

/** The agent record after `input` (create when `existing` is undefined). */
export function buildAgent(input: AgentInput, existing: AgentRecord | undefined, now: string): AgentRecord {
  const checks = new FieldChecks('agent');
  checks.agent('id', input.id);
  if (input.name !== undefined) checks.text('name', input.name, MAX_NAME_CHARS, false);
  if (input.roles !== undefined) checks.roles('roles', input.roles);
  checks.done();
  if (existing) {
    const next = { ...existing };
    if (input.name !== undefined) next.name = input.name;
    if (input.roles !== undefined) next.roles = [...new Set(input.roles)];
    return touch(next, existing, undefined, now);
  }
  return {
    id: input.id,
    revision: 1,
    name: input.name ?? input.id,
    roles: [...new Set(input.roles ?? [])],
    created: now,
    lastModified: now,
  };
}

const SECRET_HASH = /^scrypt\$\d{1,8}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9_-]{16,128}\$[A-Za-z0-9_-]{16,256}$/;

const CLIENT_FIELDS: Record<keyof ClientPatch, Check> = {
  secretHash: (c, f, v) => {
    if (typeof v !== 'string' || !SECRET_HASH.test(v)) c.add(f, 'must be a hash from hashClientSecret');
  },
  roles: (c, f, v) => c.roles(f, v),
  agent: (c, f, v) => c.agent(f, v),
  disabled: (c, f, v) => c.bool(f, v),
};

/** A new token client record. */
export function buildClient(input: NewClient, now: string): ClientRecord {
  const checks = new FieldChecks('client');
  if (typeof input.clientId !== 'string' || !CLIENT_ID_PATTERN.test(input.clientId))
    checks.add('clientId', 'must be 1 to 128 letters, digits, ".", "_", "~" or "-"');
  const record: ClientRecord = {
    clientId: input.clientId,
    revision: 1,
    secretHash: '',
    roles: [],
    agent: '',
    disabled: false,
    created: now,
    lastModified: now,
  };
  for (const required of ['secretHash', 'roles', 'agent'] as const)
    if (!has(input, required)) checks.add(required, 'is required');
  copyFields(record, input, CLIENT_FIELDS, checks);
  checks.done();
  record.roles = [...new Set(record.roles)];
  return record;
}

/** `current` changed by `patch`. */
export function patchClient(current: ClientRecord, patch: ClientPatch, now: string): ClientRecord {
  const checks = new FieldChecks('client update');
  const next = { ...current };
  copyFields(next, patch, CLIENT_FIELDS, checks);
  checks.done();
  next.roles = [...new Set(next.roles)];
  return touch(next, current, undefined, now);
}

/** Agent ids a record mentions (to register them as agents). */
export function agentsOf(record: object): string[] {
  const out: string[] = [];
  for (const key of [
    'createdBy',
    'lastModifiedBy',
    'preservedBy',
    'exportedBy',
    'lockedBy',
    'actor',
    'agent',
  ]) {
    const value = has(record, key) ? (record as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string' && AGENT_ID_PATTERN.test(value)) out.push(value);
  }
  return out;
}
