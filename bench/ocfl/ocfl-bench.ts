/**
 * The OCFL engine benchmark (issue #2 §7): storage maps (cold vs read + JSON.parse; warm LMDB vs
 * cold), full validation with content fixity (MB/s vs `openssl dgst` on both cores, files/s),
 * peak memory, and the same jobs by the peers (@ocfl/ocfl-fs, ocfl-py, rocfl) — on the
 * filesystem and, when S3_ENDPOINT is set, on S3 (MinIO). Figures are printed, never asserted.
 *
 *   node dist/bench/ocfl/ocfl-bench.js [--quick] [--runs=N] [--no-s3] [--no-peers] [...]
 *
 * (see config.ts for every setting). Each measured job runs in a child process of its own
 * (job.ts). Baseline and our runs alternate, so load from other users of the machine hits
 * both alike; the load average is printed before and after. The Markdown table goes to stdout
 * and, with the raw samples, to `bench/out/ocfl-<timestamp>.{md,json}`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentFiles, type OpensslRun, opensslDigest } from './baselines.js';
import { type BenchConfig, benchConfig } from './config.js';
import { type BenchObject, ensureBenchObjects } from './generate.js';
import type { JobResult } from './job.js';
import {
  type Backend,
  backendsOf,
  freshLmdbDir,
  JOB_TIMEOUT_SECONDS,
  JobTimeout,
  repeat,
  runJob,
} from './measure.js';
import { repoRoot } from './paths.js';
import { machineFacts, mbps, median, type Row, renderTable, secs, times } from './report.js';
import { type S3Placement, uploadToS3 } from './upload.js';
import { hasOcflPy, hasRocfl, runOcflPy, runRocfl } from './validators.js';

function label(obj: BenchObject): string {
  if (obj.kind === 'small')
    return `${obj.contentFiles.toLocaleString('en')} small, ${obj.versions} versions, ${obj.digestAlgorithm}`;
  const gib = obj.contentBytes / obj.contentFiles / 2 ** 30;
  return `${obj.contentFiles} × ${gib >= 1 ? `${gib} GiB` : `${gib * 1024} MiB`}, ${obj.digestAlgorithm}`;
}

const med = (rs: { seconds: number }[]) => median(rs.map((r) => r.seconds));
const medRss = (rs: JobResult[]) => median(rs.map((r) => r.maxRssMiB));

function verdict(ok: boolean | undefined): Row['met'] {
  return ok === undefined ? '' : ok ? 'yes' : 'no';
}

/** Storage-map rows for the small object on one backend. */
function mapRows(obj: BenchObject, backend: Backend, config: BenchConfig): Row[] {
  const base = { backend: backend.name, object: label(obj) };
  const parse: JobResult[] = [];
  const cold: JobResult[] = [];
  repeat(config.runs, () => {
    parse.push(runJob({ job: 'inventory-parse', location: backend.location, objectPath: obj.objectPath }));
    const c = runJob({ job: 'map-cold', location: backend.location, objectId: obj.objectId });
    cold.push(c);
    return c;
  });
  const lmdb = freshLmdbDir();
  let warm: JobResult[];
  try {
    runJob({ job: 'map-warm', location: backend.location, objectId: obj.objectId, lmdbDir: lmdb.path });
    warm = repeat(config.runs, () =>
      runJob({ job: 'map-warm', location: backend.location, objectId: obj.objectId, lmdbDir: lmdb.path }),
    );
  } finally {
    lmdb.remove();
  }
  const missed = warm.filter((r) => r.detail.cacheHits === 0).length;
  if (missed > 0)
    console.error(`! ${missed} warm storage-map run(s) had no cache hit: the warm figure is not a cache hit`);
  const [p, c, w] = [med(parse), med(cold), med(warm)];
  const second = median(warm.map((r) => r.detail.secondCallSeconds as number));
  const inv = `${(obj.inventoryBytes / 1e6).toFixed(1)} MB inventory`;
  const rows: Row[] = [
    {
      ...base,
      measure: `storage map, cold (${inv}) ÷ read + JSON.parse`,
      ours: secs(c),
      baseline: secs(p),
      ratio: times(c / p),
      target: '≤ 1.5×',
      met: verdict(c / p <= 1.5),
      runs: cold.length,
    },
    {
      ...base,
      measure: 'storage map, warm (LMDB hit, fresh process) vs cold',
      ours: secs(w),
      baseline: secs(c),
      ratio: `${times(c / w)} faster`,
      target: '≥ 20× faster',
      met: verdict(c / w >= 20),
      runs: warm.length,
    },
    {
      ...base,
      measure: 'storage map, warm (LMDB hit, 2nd call in process) vs cold',
      ours: secs(second),
      baseline: secs(c),
      ratio: `${times(c / second)} faster`,
      target: '',
      met: '',
      runs: warm.length,
    },
    {
      ...base,
      measure: 'peak RSS: storage map cold vs read + JSON.parse',
      ours: `${medRss(cold).toFixed(0)} MiB`,
      baseline: `${medRss(parse).toFixed(0)} MiB`,
      ratio: times(medRss(cold) / medRss(parse)),
      target: '',
      met: '',
      runs: cold.length,
    },
  ];
  rows.push(...jsonMapRows(obj, backend, config));
  if (backend.name === 'file' && config.peers) {
    rows.push(...guarded('storage map, peers', obj, backend, () => peerMapRows(obj, c, config)));
  }
  return rows;
}

/** The storage map as JSON text (what the CLI and the server send): cold vs LMDB-warm. */
function jsonMapRows(obj: BenchObject, backend: Backend, config: BenchConfig): Row[] {
  const base = { backend: backend.name, object: label(obj) };
  const spec = { location: backend.location, objectId: obj.objectId, json: true };
  const cold = repeat(config.runs, () => runJob({ job: 'map-cold', ...spec }));
  const lmdb = freshLmdbDir();
  let warm: JobResult[];
  try {
    runJob({ job: 'map-warm', ...spec, lmdbDir: lmdb.path });
    warm = repeat(config.runs, () => runJob({ job: 'map-warm', ...spec, lmdbDir: lmdb.path }));
  } finally {
    lmdb.remove();
  }
  const [c, w] = [med(cold), med(warm)];
  return [
    {
      ...base,
      measure: 'storage map as JSON text, warm (LMDB hit, fresh process) vs cold',
      ours: secs(w),
      baseline: secs(c),
      ratio: `${times(c / w)} faster`,
      target: '≥ 20× faster',
      met: verdict(c / w >= 20),
      runs: warm.length,
    },
  ];
}

function peerMapRows(obj: BenchObject, ours: number, config: BenchConfig): Row[] {
  const peer = repeat(config.runs, () =>
    runJob({ job: 'peer-map', storageRoot: obj.storageRoot, objectId: obj.objectId }),
  );
  return [
    peerSpeedRow(
      obj,
      'storage map, cold: ours ÷ @ocfl/ocfl-fs (speed; inventory + head file list)',
      ours,
      peer,
    ),
    {
      backend: 'file',
      object: label(obj),
      measure: 'peak RSS: storage map, @ocfl/ocfl-fs',
      ours: '',
      baseline: `${medRss(peer).toFixed(0)} MiB`,
      ratio: '',
      target: '',
      met: '',
      runs: peer.length,
    },
  ];
}

/** Seconds the whole object would take at the hashing rate a cut-off run reached. */
function extrapolated(run: JobResult, totalBytes: number): number {
  const bytes = run.detail.bytes as number;
  return bytes > 0 ? (run.seconds * totalBytes) / bytes : Number.POSITIVE_INFINITY;
}

/** Validation rows for one object on one backend; `openssl` collects baseline samples across backends. */
function validationRows(
  obj: BenchObject,
  backend: Backend,
  config: BenchConfig,
  openssl: OpensslRun[],
): Row[] {
  const base = { backend: backend.name, object: label(obj) };
  const content = contentFiles(obj.objectRoot);
  const ours: JobResult[] = [];
  let partial: JobResult | undefined;
  repeat(config.runs, () => {
    if (backend.name === 'file')
      openssl.push(opensslDigest(obj.objectRoot, content.paths, content.bytes, obj.digestAlgorithm));
    const r = runJob({
      job: 'validate',
      location: backend.location,
      objectPath: obj.objectPath,
      fixity: true,
      deadlineSeconds: JOB_TIMEOUT_SECONDS - 15,
    });
    if (r.detail.partial === true) partial = r;
    else if (r.detail.valid !== true)
      console.error(
        `! ${label(obj)} on ${backend.name}: NOT VALID per our validator: ${JSON.stringify(r.detail.errors)}`,
      );
    ours.push(r);
    return r;
  });
  // A run cut off at its deadline still gives a rate: the whole object's time at that rate.
  const o = partial ? extrapolated(partial, content.bytes) : med(ours);
  const b = med(openssl);
  const cut = partial
    ? ` (cut off after ${secs(partial.seconds)}: ${partial.detail.files} of ${content.paths.length} files hashed; rate extrapolated)`
    : '';
  const rows: Row[] = [
    {
      ...base,
      measure: `validation + fixity vs openssl dgst -${obj.digestAlgorithm} (2 processes, local files)`,
      ours: `${mbps(content.bytes, o)}${cut}`,
      baseline: mbps(content.bytes, b),
      ratio: times(b / o),
      target: '≥ 0.80×',
      met: verdict(b / o >= 0.8),
      runs: ours.length,
    },
  ];
  if (obj.kind === 'small') {
    rows.push(
      {
        ...base,
        measure: 'validation + fixity, files/s (wall time, all inventories included)',
        ours: `${(content.paths.length / o).toFixed(0)} files/s`,
        baseline: `${(content.paths.length / b).toFixed(0)} files/s`,
        ratio: times(b / o),
        target: '',
        met: '',
        runs: ours.length,
      },
      {
        ...base,
        measure: 'peak RSS: validation + fixity',
        ours: `${medRss(ours).toFixed(0)} MiB`,
        baseline: '',
        ratio: '',
        target: '',
        met: '',
        runs: ours.length,
      },
    );
  }
  if (backend.name === 'file' && config.peers) {
    rows.push(...guarded('validation, peers', obj, backend, () => peerValidationRows(obj, o, config)));
  }
  return rows;
}

/** One "ours ÷ peer" speed row: `ours` seconds against the median of the peer's samples. */
function peerSpeedRow(
  obj: BenchObject,
  measure: string,
  ours: number,
  samples: { seconds: number }[],
  goal?: number,
): Row {
  const theirs = med(samples);
  return {
    backend: 'file',
    object: label(obj),
    measure,
    ours: secs(ours),
    baseline: secs(theirs),
    ratio: times(theirs / ours),
    target: goal === undefined ? '' : `≥ ${goal}× (project goal)`,
    met: goal === undefined ? '' : verdict(theirs / ours >= goal),
    runs: samples.length,
  };
}

function peerValidationRows(obj: BenchObject, ours: number, config: BenchConfig): Row[] {
  const read = repeat(config.runs, () =>
    runJob({ job: 'peer-read', storageRoot: obj.storageRoot, objectId: obj.objectId }),
  );
  const rows = [
    peerSpeedRow(
      obj,
      'validation: ours ÷ @ocfl/ocfl-fs reading + hashing every content file (it cannot validate)',
      ours,
      read,
    ),
  ];
  if (hasOcflPy()) {
    const py = repeat(config.runs, () => runOcflPy(obj.objectRoot, true));
    rows.push(peerSpeedRow(obj, 'validation + fixity: ours ÷ ocfl-py 2.1.0 (speed)', ours, py));
  }
  if (hasRocfl()) {
    const rs = repeat(config.runs, () => runRocfl(obj.storageRoot, obj.objectId, true));
    rows.push(peerSpeedRow(obj, 'validation + fixity: ours ÷ rocfl 1.7.0 (speed)', ours, rs, 2));
  }
  return rows;
}

/**
 * Run one section; a failure or a timeout becomes a row saying so (with the error on stderr)
 * instead of ending the whole run, so one broken job does not cost the other figures.
 */
function guarded(what: string, obj: BenchObject, backend: Backend, section: () => Row[]): Row[] {
  try {
    return section();
  } catch (err) {
    const timedOut = err instanceof JobTimeout;
    console.error(`! ${what} of ${label(obj)} on ${backend.name}: ${timedOut ? err.message : String(err)}`);
    const ours = timedOut ? `> ${secs(err.seconds)} (timed out in ${err.job})` : 'failed (see log)';
    return [
      {
        backend: backend.name,
        object: label(obj),
        measure: what,
        ours,
        baseline: '',
        ratio: '',
        target: '',
        met: 'no',
        runs: 0,
      },
    ];
  }
}

async function placeOnS3(
  objects: BenchObject[],
  config: BenchConfig,
  notes: string[],
): Promise<Map<string, S3Placement>> {
  const out = new Map<string, S3Placement>();
  if (!config.s3) return out;
  if (!process.env.S3_ENDPOINT) {
    notes.push('S3 skipped: S3_ENDPOINT is not set (`npm run bench` starts MinIO itself).');
    return out;
  }
  for (const obj of objects) {
    const placed = await uploadToS3(obj);
    notes.push(
      `${label(obj)}: ${placed.skipped ? 'already on S3' : `uploaded to S3 in ${placed.uploadedSeconds.toFixed(1)} s`} (s3://${placed.bucket}/${placed.prefix})`,
    );
    out.set(obj.key, placed);
  }
  return out;
}

function describeObjects(objects: BenchObject[]): string[] {
  return objects.map(
    (o) =>
      `${label(o)}: ${o.contentFiles} content files, ${(o.contentBytes / 1e6).toFixed(1)} MB, head ${o.headFiles} files, ` +
      `inventory ${(o.inventoryBytes / 1e6).toFixed(1)} MB; ${o.check ? `${o.check.validator}: ${o.check.valid ? 'VALID' : 'INVALID'}` : 'not checked'}`,
  );
}

/** Run the whole OCFL benchmark; returns the rows (also printed and saved). */
export async function runOcflBench(argv: string[]): Promise<Row[]> {
  const config = benchConfig(argv);
  const facts = machineFacts(execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim());
  console.log(
    `# OCFL engine benchmark${config.quick ? ' (quick)' : ''}\n\n${facts.map((f) => `- ${f}`).join('\n')}`,
  );
  const objects = ensureBenchObjects(config, config.objects, hasOcflPy());
  const notes = describeObjects(objects);
  for (const o of objects)
    if (o.check && !o.check.valid)
      console.error(`! generated object is INVALID per ocfl-py: ${o.check.summary}`);
  const placed = await placeOnS3(objects, config, notes);
  const rows: Row[] = [];
  for (const obj of objects) {
    const openssl: OpensslRun[] = [];
    for (const backend of backendsOf(obj, placed.get(obj.key))) {
      console.error(`… ${label(obj)} on ${backend.name}`);
      if (obj.kind === 'small')
        rows.push(...guarded('storage map', obj, backend, () => mapRows(obj, backend, config)));
      rows.push(...guarded('validation', obj, backend, () => validationRows(obj, backend, config, openssl)));
    }
  }
  const after = `load average after: ${machineFacts('').at(-1)!.split(': ')[1]}`;
  const text = `\n${notes.map((n) => `- ${n}`).join('\n')}\n- ${after}\n\n${renderTable(rows)}\n`;
  console.log(text);
  save(config, facts, notes, rows, text);
  return rows;
}

function save(config: BenchConfig, facts: string[], notes: string[], rows: Row[], text: string): void {
  const dir = join(repoRoot, 'bench', 'out');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(dir, `ocfl-${stamp}.json`), JSON.stringify({ config, facts, notes, rows }, null, 2));
  writeFileSync(join(dir, `ocfl-${stamp}.md`), `${facts.map((f) => `- ${f}`).join('\n')}\n${text}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runOcflBench(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
