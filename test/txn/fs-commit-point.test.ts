/**
 * The filesystem commit point, observed through the calls the store makes (fs.promises is spied
 * on: every fsync by path, every rename): the version's content is flushed in bulk (all files
 * written first, then flushed together) before the root inventory, and the root inventory itself
 * is written to a temp file, fsynced, renamed into place, and its directory fsynced — so after a
 * crash the root inventory names either the old bytes or the complete new ones. A new object's
 * directories are made durable up to the storage root.
 */
import { existsSync, promises as fsp } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { openRepositoryWriter } from '../../lib/txn/writer.js';
import { fsEnv } from './env.js';

type Event = ({ kind: 'fsync'; path: string } | { kind: 'rename' | 'link'; from: string; to: string }) & {
  /** Whether every file of `expected` existed when the call was made. */
  allContent: boolean;
};

/**
 * Record fsyncs (by path), renames and links made through fs.promises while `work` runs, each
 * with whether all of `expected` existed at that moment.
 */
async function observe(expected: () => string[], work: () => Promise<void>): Promise<Event[]> {
  const allContent = () => expected().every((p) => existsSync(p));
  const events: Event[] = [];
  const open = fsp.open;
  const rename = fsp.rename;
  const link = fsp.link;
  fsp.open = (async (path: string, flags?: string, mode?: number) => {
    const handle = await open(path, flags, mode);
    if (flags === 'r') {
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        await sync();
        events.push({ kind: 'fsync', path: String(path), allContent: allContent() });
      };
    }
    return handle;
  }) as typeof fsp.open;
  fsp.rename = (async (from: string, to: string) => {
    const all = allContent();
    await rename(from, to);
    events.push({ kind: 'rename', from: String(from), to: String(to), allContent: all });
  }) as typeof fsp.rename;
  fsp.link = (async (from: string, to: string) => {
    const all = allContent();
    await link(from, to);
    events.push({ kind: 'link', from: String(from), to: String(to), allContent: all });
  }) as typeof fsp.link;
  try {
    await work();
  } finally {
    fsp.open = open;
    fsp.rename = rename;
    fsp.link = link;
  }
  return events;
}

const agent = { name: 'https://example.org/agents/tester' };
/** Where GNU `sync -f` is there, `auto` flushes many files with one syncfs (fs-sync.ts). */
const HAS_SYNCFS = process.platform === 'linux' && ['/usr/bin/sync', '/bin/sync'].some((p) => existsSync(p));

for (const strategy of ['fsync', 'auto'] as const) {
  t.test(
    `${strategy}: content is flushed in bulk before the root inventory, which is written to a temp file, fsynced, put in place, and its directory fsynced`,
    async (t) => {
      const env = await fsEnv(t);
      const root = fileURLToPath(env.repo);
      const writer = await openRepositoryWriter(env.repo, {
        create: true,
        store: { syncStrategy: strategy },
      });
      await writer.createContainer('books', { agent });
      const objectDir = join(root, ...writer.objectKeyOf('books/g').split('/'));
      const rootInventory = join(objectDir, 'inventory.json');
      // v1 creates the object (the root inventory is linked into place: a conditional create);
      // v2 replaces it (renamed into place).
      for (const [version, place] of [
        ['v1', 'link'],
        ['v2', 'rename'],
      ] as const) {
        const files = await env.writeDeposit(
          Object.fromEntries(
            Array.from({ length: 20 }, (_, i) => [`${version}/f${i}.txt`, `${version} ${i}`]),
          ),
        );
        const expected = () => files.map((_, i) => join(objectDir, version, 'content', 'dir', `f${i}.txt`));
        const events = await observe(expected, async () => {
          const tx = writer.begin('books/g', { agent, sources: [env.deposit] });
          if (version === 'v1') tx.createContainer('dir');
          for (const [i, f] of files.entries())
            tx.putBinary(`dir/f${i}.txt`, { source: f.uri, digest: f.sha256 });
          t.equal((await tx.commit()).version, version);
        });
        const at = events.findIndex((e) => e.kind === place && e.to === rootInventory);
        t.ok(at > 0, `${version}: the root inventory is put in place with ${place}(2)`);
        const temp = (events[at] as { from: string }).from;
        t.equal(dirname(temp), objectDir, `${version}: from a temp file beside it`);
        const fsyncs = (from: number, to: number) =>
          events.slice(from, to).flatMap((e) => (e.kind === 'fsync' ? [e.path] : []));
        t.ok(fsyncs(0, at).includes(temp), `${version}: the temp file is fsynced before`);
        t.ok(fsyncs(at + 1, events.length).includes(objectDir), `${version}: the directory is fsynced after`);
        const contentDir = join(objectDir, version, 'content', 'dir');
        // Content is copied in worker threads (sync I/O, not observed here): what is checked is
        // what was on disk at each observed call.
        t.ok(
          events[at]!.allContent,
          `${version}: every content file is written before the root inventory is put in place`,
        );
        t.ok(
          events.every((e) => e.kind !== 'fsync' || !e.path.startsWith(contentDir + sep) || e.allContent),
          `${version}: no content file is fsynced while content is being written (no fsync per file)`,
        );
        const lastWrite = events.findIndex((e) => e.allContent);
        const flushed = fsyncs(lastWrite, at);
        if (strategy === 'fsync') {
          t.ok(
            files.every((_, i) => flushed.includes(join(contentDir, `f${i}.txt`))),
            `${version}: all content files are flushed together, before the root inventory`,
          );
          t.ok(
            flushed.includes(join(objectDir, version, 'inventory.json')),
            `${version}: and the version inventory`,
          );
          const missing: string[] = [];
          for (let dir = objectDir; dir !== dirname(root); dir = dirname(dir)) {
            if (!flushed.includes(dir)) missing.push(dir);
          }
          t.same(missing, [], `${version}: and every directory from the object up to the storage root`);
        } else if (HAS_SYNCFS) {
          // 20 files: one syncfs(2) of their filesystem (GNU `sync -f`), not an fsync each.
          t.notOk(
            flushed.some((p) => p.startsWith(contentDir + sep)),
            `${version}: the content is flushed in one bulk call, not file by file`,
          );
        }
      }
    },
  );
}
