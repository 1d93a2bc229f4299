import t from 'tap';
import { type ImportJob, rebaseImportJob } from '../../lib/core/import-job.js';

const job = (base: string, extra: Partial<ImportJob> = {}): ImportJob => ({
  archivalGroup: `${base}lib/r%C3%A9sum%C3%A9`,
  containersToAdd: [{ id: `${base}lib/r%C3%A9sum%C3%A9/objects` }],
  binariesToAdd: [{ id: `${base}lib/r%C3%A9sum%C3%A9/objects/a.txt`, origin: 'file:///deposits/x/a.txt' }],
  binariesToPatch: [],
  binariesToDelete: [{ id: 'https://elsewhere.example/repository/lib/other' }],
  containersToDelete: [],
  containersToRename: [],
  binariesToRename: [],
  ...extra,
});

t.test('a stored job is moved to the base URL the server has now, origins untouched', async (t) => {
  const moved = rebaseImportJob(
    job('http://127.0.0.1:4001/repository/'),
    'lib/résumé',
    'https://api.example/repository/',
  );
  t.same(moved, job('https://api.example/repository/'), 'every id under the old base moves');
  t.equal(moved.binariesToAdd[0]!.origin, 'file:///deposits/x/a.txt');
  t.equal(
    moved.binariesToDelete[0]!.id,
    'https://elsewhere.example/repository/lib/other',
    'an id under another base is left for the job to refuse',
  );
});

t.test('a job already under the base, or not naming its group, is returned as it is', async (t) => {
  const same = job('https://api.example/repository/');
  t.equal(rebaseImportJob(same, 'lib/résumé', 'https://api.example/repository/'), same);
  const elsewhere = job('https://api.example/repository/', {
    archivalGroup: 'https://api.example/repository/lib/x',
  });
  t.equal(rebaseImportJob(elsewhere, 'lib/résumé', 'https://other.example/repository/'), elsewhere);
});
