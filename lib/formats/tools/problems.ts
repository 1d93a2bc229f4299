/**
 * Issues found while reading tool outputs. Readers collect them and carry on (a bad line in a
 * 2,000-file Siegfried report must not hide the other 1,999 identifications).
 *
 * Codes (stable):
 * | code                     | severity | meaning |
 * | ------------------------ | -------- | ------- |
 * | `TOOL_ENCODING`          | warning  | bytes were not UTF-8; decoded as windows-1252 |
 * | `TOOL_SYNTAX`            | warning  | a line or row could not be parsed and was skipped |
 * | `TOOL_UNRECOGNISED`      | warning  | a file under metadata/ looked like no tool output we read |
 * | `TOOL_INCONSISTENT`      | warning  | the output contradicts itself (two sizes for one file, counts that do not add up) |
 * | `TOOL_UNRESOLVED_PATH`   | warning  | a path the tool recorded matches no deposit file and no other path in the output |
 * | `TOOL_SCAN_ERROR`        | warning  | the tool reported an error for a file (ClamAV `ERROR`, Siegfried `errors`) |
 * | `TOOL_TOO_LARGE`         | warning  | the output is larger than its cap (limits.ts); not read |
 * | `TOOL_SPECIAL_ENTRY`     | warning  | a deposit entry under metadata/ that is not a regular file (FIFO, socket, device, undecodable name); never read |
 * | `TOOL_VIRUS_FOUND`       | error    | ClamAV found a virus |
 */
import type { Finding } from '../../core/findings.js';

/** One issue met while reading a tool output. */
export interface ToolProblem extends Finding {
  code:
    | 'TOOL_ENCODING'
    | 'TOOL_SYNTAX'
    | 'TOOL_UNRECOGNISED'
    | 'TOOL_INCONSISTENT'
    | 'TOOL_UNRESOLVED_PATH'
    | 'TOOL_SCAN_ERROR'
    | 'TOOL_TOO_LARGE'
    | 'TOOL_SPECIAL_ENTRY'
    | 'TOOL_VIRUS_FOUND';
  severity: 'error' | 'warning';
  message: string;
  /** The tool output file (deposit-relative) the issue is in, when known. */
  path?: string;
  /** 1-based line (or CSV record) number, when known. */
  line?: number;
}

/** Records problems for one output file; severity follows the code (only a virus is an error). */
export type ProblemSink = (code: ToolProblem['code'], message: string, line?: number) => void;

/** A {@link ProblemSink} that appends to `problems`, tagging each with `path` when given. */
export function problemSink(problems: ToolProblem[], path?: string): ProblemSink {
  return (code, message, line) => {
    const p: ToolProblem = { code, severity: code === 'TOOL_VIRUS_FOUND' ? 'error' : 'warning', message };
    if (path !== undefined) p.path = path;
    if (line !== undefined) p.line = line;
    problems.push(p);
  };
}
