/**
 * The Archival Group activity stream (IIIF Change Discovery 1.0, spec "Activity Streams") and
 * deleting a group, which is the one activity not written by an import job's completion.
 *
 * The stream is the records' activity log read in pages of {@link ACTIVITY_PAGE_SIZE}: page n
 * (1-based) holds `seq` (n-1)·size+1 … n·size, oldest first, so every page but the last never
 * changes once full. Its order and strictly increasing `endTime` come from the log itself
 * (lib/records: `seq` without gaps, `endTime` one millisecond after the last when the clock has
 * not moved past it).
 *
 * Job completions append their Create or Update in the same records commit that marks the job
 * completed (job-runner.ts), so the two are never separated. A group deletion cannot share a
 * commit with the OCFL write: the tombstone version is committed first, then its Delete
 * appended; should the process die in between, asking to delete the group again finds the
 * tombstone without its Delete and appends it then ({@link ActivityFeed.recordDeletion}).
 */
import { NotFoundError } from '../core/errors.js';
import { quoteForMessage } from '../core/paths.js';
import type { ActivityRecord } from '../records/model.js';
import type { RecordStore } from '../records/port.js';
import type { RepositoryWriter } from '../txn/writer.js';
import type { RepositoryBrowser } from './browse.js';

/** Activities per page of the stream (the reference implementation's page size). */
export const ACTIVITY_PAGE_SIZE = 100;

/** How far back a repeated delete looks for the Delete it may have missed. */
const RECENT_ACTIVITIES = 1000;

/** The stream's shape: how many activities and pages (at least one page, empty or not). */
export interface ActivityCollection {
  totalItems: number;
  pageCount: number;
}

/** One page of the stream. */
export interface ActivityPage extends ActivityCollection {
  /** 1-based page number. */
  page: number;
  /** 0-based index of the page's first activity in the whole stream. */
  startIndex: number;
  /** Oldest first. */
  items: ActivityRecord[];
}

/** Reads the activity stream and records group deletions in it. */
export class ActivityFeed {
  constructor(
    private readonly records: RecordStore,
    private readonly pageSize = ACTIVITY_PAGE_SIZE,
  ) {}

  /** The collection: totals for `first` / `last`. */
  async collection(): Promise<ActivityCollection> {
    const totalItems = await this.records.activity.count();
    return { totalItems, pageCount: Math.max(1, Math.ceil(totalItems / this.pageSize)) };
  }

  /**
   * Page `page` (1-based). Page 1 always exists (empty for an empty stream); a page past the
   * last, or a number that is not a whole number ≥ 1, is NotFoundError.
   */
  async page(page: number): Promise<ActivityPage> {
    const { totalItems, pageCount } = await this.collection();
    if (!Number.isSafeInteger(page) || page < 1 || page > pageCount)
      throw new NotFoundError(`no page ${quoteForMessage(String(page), 20)} of the activity stream`);
    const startIndex = (page - 1) * this.pageSize;
    const items = totalItems === 0 ? [] : await this.records.activity.list(startIndex + 1, this.pageSize);
    return { totalItems, pageCount, page, startIndex, items };
  }

  /**
   * Delete the Archival Group at `path` whole (RepositoryWriter.deleteArchivalGroup) and append
   * its Delete. Throws as the writer does (NotFoundError, GoneError, ConflictError).
   */
  async deleteGroup(
    writer: RepositoryWriter,
    path: string,
    agentId: string,
    agentUri: string,
  ): Promise<ActivityRecord> {
    const commit = await writer.deleteArchivalGroup(path, { agent: { name: agentUri, address: agentUri } });
    return this.records.activity.append({
      type: 'Delete',
      archivalGroupPath: path,
      version: commit.version,
      actor: agentId,
    });
  }

  /**
   * For a group already deleted to a tombstone: append its Delete (by `agentId`, who asked
   * again) when the recent stream lacks it, i.e. the process died between the tombstone and the
   * append. Resolves with the activity appended, or undefined when there was nothing to do (not
   * a deleted Archival Group, or its Delete is recorded).
   */
  async recordDeletion(
    browser: RepositoryBrowser,
    path: string,
    agentId: string,
  ): Promise<ActivityRecord | undefined> {
    const summary = await browser.objectSummary(path);
    if (!summary?.header.deleted || !summary.header.archivalGroup) return undefined;
    const head = (await browser.repository.versions(`info:fedora/${path}`)).at(-1);
    if (!head) return undefined;
    const count = await this.records.activity.count();
    const from = Math.max(1, count - RECENT_ACTIVITIES + 1);
    const recent = count === 0 ? [] : await this.records.activity.list(from, RECENT_ACTIVITIES);
    const recorded = recent.some(
      (a) => a.type === 'Delete' && a.archivalGroupPath === path && a.version === head.ocflVersion,
    );
    if (recorded) return undefined;
    return this.records.activity.append({
      type: 'Delete',
      archivalGroupPath: path,
      version: head.ocflVersion,
      actor: agentId,
    });
  }
}
