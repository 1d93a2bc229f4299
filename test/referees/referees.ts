/**
 * The independent referees, as the tests call them: ocfl-py 2.1.0 (`ocfl-validate.py` on one
 * object; ocfl_py_root.py on a storage root) and ocfl-java 2.2.2 (OcflJavaReferee.java), all
 * installed by scripts/referees.sh into .cache/referees and found through the variables it
 * prints. Their output is someone else's: it is parsed defensively and every run is bounded.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

/** One validation finding of a referee. */
export interface RefereeIssue {
  code: string;
  message: string;
}

/** A logical file of one version as ocfl-java read it. */
export interface OcflJavaFile {
  path: string;
  storagePath: string;
  /** Inventory digest and fixity values by algorithm. */
  fixity: Record<string, string>;
  /** SHA-256 of the bytes ocfl-java returned (absent when reading failed). */
  sha256?: string;
  size?: number;
  /** Set when reading or ocfl-java's own fixity check failed. */
  exception?: string;
}

/** ocfl-java's verdict on one object. */
export interface OcflJavaObject {
  id: string;
  exists?: boolean;
  errors?: RefereeIssue[];
  warnings?: RefereeIssue[];
  infos?: RefereeIssue[];
  head?: string;
  digestAlgorithm?: string;
  versions?: Record<string, OcflJavaFile[]>;
  /** Set when ocfl-java threw instead of answering. */
  exception?: string;
}

/** ocfl-py's verdict on one object (from `ocfl-validate.py`'s text output). */
export interface OcflPyObject {
  valid: boolean;
  errors: RefereeIssue[];
  warnings: RefereeIssue[];
  output: string;
}

/** ocfl-py's verdict on a storage root (ocfl_py_root.py). */
export interface OcflPyRoot {
  ocflPy: string;
  root: { valid: boolean; errors: RefereeIssue[]; warnings: RefereeIssue[] };
  hierarchy: {
    errors: RefereeIssue[];
    warnings: RefereeIssue[];
    objects: { path: string; valid: boolean; errors: RefereeIssue[]; warnings: RefereeIssue[] }[];
  };
}

/** Paths of the installed referees. */
export interface Referees {
  ocflValidate: string;
  python: string;
  ocflJava: string;
}

/**
 * The referees scripts/referees.sh installed, or the reason they cannot be used (variables not
 * set: run through scripts/test.sh, or `eval "$(bash scripts/referees.sh)"`).
 */
export function findReferees(env: NodeJS.ProcessEnv = process.env): Referees | string {
  const ocflValidate = env.STRONGROOM_OCFL_PY_VALIDATE;
  const ocflJava = env.STRONGROOM_OCFL_JAVA_REFEREE;
  if (!ocflValidate || !ocflJava) {
    return 'STRONGROOM_OCFL_PY_VALIDATE / STRONGROOM_OCFL_JAVA_REFEREE not set (eval "$(bash scripts/referees.sh)")';
  }
  const python = join(dirname(ocflValidate), 'python');
  for (const p of [ocflValidate, ocflJava, python]) if (!existsSync(p)) return `${p} does not exist`;
  return { ocflValidate, python, ocflJava };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a referee; a non-zero exit is an answer, not an exception. Five minutes at most. */
function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(err);
        else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

function parseJson<T>(what: string, r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`${what} printed no JSON (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  }
}

/** ocfl-java: validate each object with content fixity and read every file of every version. */
export async function ocflJava(
  referees: Referees,
  storageRoot: string,
  ids: string[],
): Promise<{ version: string; objects: OcflJavaObject[]; stderr: string }> {
  const r = await run(referees.ocflJava, [storageRoot, ...ids]);
  const out = parseJson<{ ocflJava: string; objects: OcflJavaObject[] }>('ocfl-java referee', r);
  return { version: out.ocflJava, objects: out.objects, stderr: r.stderr };
}

const ISSUE_LINE = /^\[([EW]\d{3}[a-z]?)\] (.*)$/;

/** ocfl-py: `ocfl-validate.py <object-dir>`, its findings parsed from the `[E0xx] …` lines. */
export async function ocflPyObject(referees: Referees, objectDir: string): Promise<OcflPyObject> {
  const r = await run(referees.ocflValidate, [objectDir]);
  const errors: RefereeIssue[] = [];
  const warnings: RefereeIssue[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = ISSUE_LINE.exec(line);
    if (m) (m[1]!.startsWith('E') ? errors : warnings).push({ code: m[1]!, message: m[2]! });
  }
  const valid = r.code === 0 && / is VALID$/m.test(r.stdout);
  return { valid, errors, warnings, output: `${r.stdout}${r.stderr}` };
}

/** ocfl-py on a whole storage root (see ocfl_py_root.py for why not `ocfl-validate.py`). */
export async function ocflPyRoot(referees: Referees, storageRoot: string): Promise<OcflPyRoot> {
  const script = join(repoRoot, 'test', 'referees', 'ocfl_py_root.py');
  return parseJson<OcflPyRoot>('ocfl_py_root.py', await run(referees.python, [script, storageRoot]));
}

/** ocfl-py's version (`ocfl-validate.py --version`). */
export async function ocflPyVersion(referees: Referees): Promise<string> {
  const r = await run(referees.ocflValidate, ['--version']);
  return /version (\S+)/.exec(r.stdout + r.stderr)?.[1] ?? 'unknown';
}
