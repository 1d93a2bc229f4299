/**
 * Every bag case of the shared corpus gets the verdict its source's expected.json gives. Cases are
 * discovered, not listed: every corpus source with an expected.json is scanned, and a case is a
 * bag when its README row's kind says `bagit` or its folder holds a bagit.txt or a manifest (so
 * "missing bagit.txt" cases count too). A case stored as a zip (`<case>.zip`, or a key ending in
 * `.zip`) is read through zipBagSource.
 *
 * Per case: `valid` must match; an invalid case must report at least one error; expected entries
 * written as messages (`file: what path`) must appear verbatim; a case expecting warnings must
 * get at least one and a case expecting none must get none. Platform-specific cases (the suite's
 * linux-only / windows-only) are asserted as expected.json states them: our rules do not depend
 * on the platform, and those bags are invalid everywhere for reasons the RFC gives (paths outside
 * the payload, fetch entries missing from the manifests).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { storeBagSource } from '../../../lib/engine/bag-source.js';
import type { BagSource } from '../../../lib/formats/bagit/source.js';
import { validateBag } from '../../../lib/formats/bagit/validate.js';
import { zipBagSource } from '../../../lib/formats/bagit/zip-source.js';
import { FsStore } from '../../../lib/storage/fs/fs-store.js';
import { corpusDir } from '../../helpers/paths.js';

interface Expectation {
  valid: boolean;
  errors: string[];
  warnings: string[];
  platform?: string;
}

/** Kind column of each README case row: `| \`path\` | kind | ...`. */
function readmeKinds(sourceDir: string): Map<string, string> {
  const kinds = new Map<string, string>();
  const readme = join(sourceDir, 'README.md');
  if (!existsSync(readme)) return kinds;
  for (const m of readFileSync(readme, 'utf8').matchAll(/^\| `([^`]+)`[^|]*\| ([^|]+) \|/gm)) {
    kinds.set(m[1]!, m[2]!.trim());
  }
  return kinds;
}

function looksLikeBag(dir: string): boolean {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
  return readdirSync(dir).some((n) => n === 'bagit.txt' || /^(tag)?manifest-.+\.txt$/.test(n));
}

/** A zip case is a bag when its root (or its single top folder) has bagit.txt or a manifest. */
async function zipLooksLikeBag(path: string): Promise<boolean> {
  const zip = path.endsWith('.zip') ? path : `${path}.zip`;
  if (!existsSync(zip) || !statSync(zip).isFile()) return false;
  try {
    for await (const f of (await zipBagSource(readFileSync(zip))).list()) {
      if (f.path === 'bagit.txt' || /^(tag)?manifest-[^/]+\.txt$/.test(f.path)) return true;
    }
  } catch {
    // not a readable zip: not a bag case
  }
  return false;
}

async function openCase(path: string): Promise<BagSource | null> {
  if (path.endsWith('.zip') && existsSync(path)) return zipBagSource(readFileSync(path), path);
  if (existsSync(`${path}.zip`)) return zipBagSource(readFileSync(`${path}.zip`), `${path}.zip`);
  if (existsSync(path) && statSync(path).isDirectory())
    return storeBagSource(new FsStore(path, { readOnly: true }));
  return null;
}

const isMessage = (s: string) => /^[^\s:]+: /.test(s);

const sources = readdirSync(corpusDir).filter((s) => existsSync(join(corpusDir, s, 'expected.json')));
let bagCases = 0;

for (const source of sources) {
  const dir = join(corpusDir, source);
  const kinds = readmeKinds(dir);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<
    string,
    Expectation
  >;
  for (const [key, exp] of Object.entries(expected)) {
    const isBag =
      /bagit/i.test(kinds.get(key) ?? '') ||
      looksLikeBag(join(dir, key)) ||
      (await zipLooksLikeBag(join(dir, key)));
    if (!isBag) continue;
    bagCases++;
    t.test(
      `${source}/${key} is ${exp.valid ? 'valid' : 'invalid'}${exp.warnings.length ? ' with warnings' : ''}`,
      async (t) => {
        const bag = await openCase(join(dir, key));
        if (bag === null) return t.fail(`case ${key} not found as a folder or zip`);
        const r = await validateBag(bag);
        const detail = { errors: r.errors, warnings: r.warnings };
        t.equal(r.valid, exp.valid, 'verdict', detail);
        if (!exp.valid) t.ok(r.errors.length > 0, 'at least one error', detail);
        for (const e of exp.errors.filter(isMessage)) t.ok(r.errors.includes(e), `reports "${e}"`, detail);
        t.equal(r.warnings.length > 0, exp.warnings.length > 0, 'warnings iff expected', detail);
        for (const w of exp.warnings.filter(isMessage)) t.ok(r.warnings.includes(w), `warns "${w}"`, detail);
      },
    );
  }
}

t.ok(bagCases >= 49, `all corpus bag cases were found (${bagCases})`);
