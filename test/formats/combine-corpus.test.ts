/**
 * End to end on the corpus BitCurator bag bc-example-1: listing (with SHA-256s computed here as
 * S3 would hold them), its payload manifest, and its tool outputs. The corpus README and
 * expected.json say what is wrong with this bag as stored; the combiner must surface exactly
 * those facts as mismatches.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { combineDeposit } from '../../lib/formats/combine.js';
import { readToolOutputs } from '../../lib/formats/tools/index.js';
import { corpusDir } from '../helpers/paths.js';

const BAG = join(corpusDir, 'digital-preservation-docs/playwright/PreservationApi/samples/bc-example-1');

function walk(root: string): string[] {
  const out: string[] = [];
  const go = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) go(p);
      else out.push(relative(root, p).split('\\').join('/'));
    }
  };
  go(root);
  return out.sort();
}

/** A minimal manifest reading for the test (the BagIt reader proper lives in lib/formats/bagit). */
function manifest(text: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)\s+(.+)$/.exec(line.trim());
    if (m) out.set(m[2]!, { sha256: m[1]! });
  }
  return out;
}

t.test('bc-example-1: the combiner reports what the corpus says is wrong with the bag', async (t) => {
  const paths = walk(BAG);
  const bytes = new Map(paths.map((p) => [p, readFileSync(join(BAG, p))]));
  const listing = paths.map((p) => ({
    path: p,
    size: bytes.get(p)!.length,
    s3Sha256: createHash('sha256').update(bytes.get(p)!).digest('hex'),
  }));
  const tools = readToolOutputs(
    paths.filter((p) => p.startsWith('data/metadata/')).map((p) => ({ path: p, bytes: bytes.get(p)! })),
    paths,
  );
  const bag = { payloadDigests: manifest(bytes.get('manifest-sha256.txt')!.toString('utf8')) };
  const r = combineDeposit({ listing, bag, tools });

  const digest = r.mismatches.filter((m) => m.field === 'digest').map((m) => m.localPath);
  t.same(digest, [
    'data/metadata/brunnhilde/logs/viruscheck-log.txt',
    'data/metadata/brunnhilde/siegfried.csv',
    'data/metadata/brunnhilde/tree.txt',
    'data/metadata/siegfried/siegfried.yml',
  ]);
  const missing = r.mismatches.filter((m) => m.field === 'presence' && m.values['deposit'] === 'absent');
  t.equal(missing.length, 11, 'the 11 large images are named by the manifest and the tools but absent');
  t.ok(missing.every((m) => m.values['BagIt'] === 'present'));
  t.match(missing.find((m) => m.localPath === 'data/objects/nyc/DSCF1156.JPG')?.values, {
    BagIt: 'present',
    Brunnhilde: 'present',
    Siegfried: 'present',
  });
  const notInManifest = r.mismatches.filter((m) => m.field === 'presence' && m.values['BagIt'] === 'absent');
  t.same(
    notInManifest.map((m) => m.localPath),
    ['data/objects/awkward/慷獹琠散敬牢瑡圣浯湥䡳獩潴祲潍瑮㼿䄠摮愠猠敮歡瀠敥瑡匠䍉敮⁷牡�.msg'],
  );
  t.equal(r.mismatches.length, 16, 'nothing else disagrees (tool digests and sizes match the stored files)');

  const docx = r.files.find((f) => f.localPath === 'data/objects/Fedora-Usage-Principles.docx')!;
  t.match(docx, {
    digest: '4650877617ebc07caa9ec21c8405c6b72d6f20d3904758879b6bfc16f2a45bdc',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    size: 17305,
  });
  t.same(
    docx.metadata.map((m) => `${m.type}/${m.source}`),
    [
      'FileFormatMetadata/Brunnhilde',
      'FileFormatMetadata/Siegfried',
      'VirusScanMetadata/Brunnhilde',
      'DigestMetadata/BagIt',
    ],
  );
});
