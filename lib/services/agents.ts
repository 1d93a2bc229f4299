/**
 * Agents (spec "Agents"): everyone the records know as having created, changed, preserved,
 * exported or locked something, or as calling the API (records register each agent id a record
 * names, in the same commit).
 */

import type { RecordStore } from '../records/port.js';
import { MAX_LIST_LIMIT } from '../records/store.js';

/** Every agent id the records know, in code-point order. */
export async function listAgentIds(records: RecordStore): Promise<string[]> {
  const ids: string[] = [];
  for (let after: string | undefined; ; ) {
    const page = await records.agents.list({ limit: MAX_LIST_LIMIT, ...(after !== undefined && { after }) });
    for (const a of page) ids.push(a.id);
    if (page.length < MAX_LIST_LIMIT) return ids;
    after = page.at(-1)!.id;
  }
}
