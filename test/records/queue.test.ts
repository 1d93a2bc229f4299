/**
 * The job-queue contract (queue-contract.ts) on the memory and LMDB queues.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openLmdbQueue } from '../../lib/records/queue/lmdb-queue.js';
import { openMemoryQueue } from '../../lib/records/queue/memory-queue.js';
import { type QueueSubject, queueContract } from './queue-contract.js';

const subjects: QueueSubject[] = [
  {
    name: 'memory queue',
    async make(clock) {
      const queue = openMemoryQueue({ clock: clock.read });
      return { queue, cleanup: () => queue.close() };
    },
  },
  {
    name: 'LMDB queue',
    async make(clock) {
      const dir = mkdtempSync(join(tmpdir(), 'strongroom-queue-'));
      let queue = openLmdbQueue(dir, { clock: clock.read });
      return {
        queue,
        reopen: async () => {
          await queue.close();
          queue = openLmdbQueue(dir, { clock: clock.read });
          return queue;
        },
        cleanup: async () => {
          await queue.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

for (const subject of subjects) queueContract(t, subject);
