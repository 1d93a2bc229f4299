/**
 * The measured jobs of the big-inventories benchmark, each run in a child process of its own
 * (`node jobs.js '<spec json>'`), so its peak RSS belongs to it alone. The child prints one line
 * `JOB-RESULT <json>`: seconds (the operation only, not start-up), peak RSS (the kernel's
 * `maxRSS`, worker threads included), peak heap (V8's used heap, sampled every 50 ms and at the
 * end: a lower bound of the true peak) and facts about the result.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InventoryParser, parseInventory } from '../../lib/core/ocfl/inventory-parse.js';
import { getStorageMap } from '../../lib/engine/storage-maps.js';
import { openStorageRoot } from '../../lib/engine/storage-root.js';
import { validateObject } from '../../lib/engine/validate/object.js';
import { FsStore } from '../../lib/storage/fs/fs-store.js';
import { openRepositoryWriter } from '../../lib/txn/writer.js';

/** What a child measures. */
export type JobSpec =
  /** Baseline: read the root inventory into one Buffer and JSON.parse it (the old reader's core). */
  | { job: 'json-parse'; objectRoot: string }
  /** The root inventory streamed through the strict parser (scan + validateInventory). */
  | { job: 'stream-parse'; objectRoot: string }
  /** validateObject without fixity. */
  | { job: 'validate'; objectRoot: string }
  /** getStorageMap of the head, no cache. */
  | { job: 'storage-map'; storageRoot: string; objectId: string }
  /** A 1-file patch through RepositoryWriter (a fresh writer: reads and validates the base). */
  | { job: 'patch'; storageRoot: string; objectId: string; work: string }
  /** parseInventory of `file` whole (JSON.parse path) or streamed, `runs` times each: seconds each. */
  | { job: 'crossover'; file: string; runs: number };

/** What a child reports. */
export interface JobResult {
  seconds: number;
  maxRssMiB: number;
  peakHeapMiB: number;
  detail: Record<string, unknown>;
}

const MiB = 1024 * 1024;

async function streamFile(path: string, parser: { push(c: Uint8Array): void }): Promise<void> {
  const { createReadStream } = await import('node:fs');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) parser.push(chunk as Buffer);
}

async function run(spec: JobSpec): Promise<Record<string, unknown>> {
  switch (spec.job) {
    case 'json-parse': {
      const bytes = readFileSync(join(spec.objectRoot, 'inventory.json'));
      try {
        const value = JSON.parse(bytes.toString('utf8')) as { manifest: object };
        return { manifest: Object.keys(value.manifest).length };
      } catch (err) {
        return { failed: (err as Error).message.slice(0, 120) };
      }
    }
    case 'stream-parse': {
      const parser = new InventoryParser({ path: 'inventory.json' });
      await streamFile(join(spec.objectRoot, 'inventory.json'), parser);
      const parsed = parser.end();
      return { issues: parsed.issues.length, manifest: Object.keys(parsed.inventory?.manifest ?? {}).length };
    }
    case 'validate': {
      const report = await validateObject(new FsStore(spec.objectRoot, { readOnly: true }), '', {
        fixity: false,
      });
      return {
        valid: report.valid,
        errors: report.errors.slice(0, 3).map((e) => `${e.code} ${e.message}`),
        warnings: report.warnings.length,
      };
    }
    case 'storage-map': {
      const root = await openStorageRoot(new FsStore(spec.storageRoot, { readOnly: true }));
      const map = await getStorageMap(root, spec.objectId);
      return { files: Object.keys(map.files).length, version: map.version };
    }
    case 'patch': {
      const source = join(spec.work, 'patch-source');
      mkdirSync(source, { recursive: true });
      const bytes = Buffer.from(`one new file, ${new Date().toISOString()}\n`);
      writeFileSync(join(source, 'patched.txt'), bytes);
      const writer = await openRepositoryWriter(pathToFileURL(spec.storageRoot).href);
      const path = spec.objectId.slice('info:fedora/'.length);
      const tx = writer.begin(path, { agent: { name: 'bench' }, sources: [pathToFileURL(source).href] });
      tx.putBinary('patched.txt', {
        source: pathToFileURL(join(source, 'patched.txt')).href,
        digest: createHash('sha256').update(bytes).digest('hex'),
      });
      const result = await tx.commit();
      return { version: result.version };
    }
    case 'crossover': {
      const bytes = readFileSync(spec.file);
      const whole: number[] = [];
      const streamed: number[] = [];
      for (let r = 0; r < spec.runs; r++) {
        let t = performance.now();
        // Below the threshold parseInventory takes the JSON.parse path; this file is below it.
        parseInventory(bytes);
        whole.push((performance.now() - t) / 1000);
        t = performance.now();
        const parser = new InventoryParser();
        for (let at = 0; at < bytes.length; at += 1 << 20) parser.push(bytes.subarray(at, at + (1 << 20)));
        parser.end();
        streamed.push((performance.now() - t) / 1000);
      }
      return { bytes: bytes.length, whole, streamed };
    }
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as JobSpec;
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 50);
  const started = performance.now();
  const detail = await run(spec);
  const seconds = (performance.now() - started) / 1000;
  sample();
  clearInterval(timer);
  const result: JobResult = {
    seconds,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    peakHeapMiB: peakHeap / MiB,
    detail,
  };
  console.log(`JOB-RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
