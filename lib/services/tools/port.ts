/**
 * The small interface between the pipeline and the programs it runs. A {@link PipelineTool} is
 * configured once; each pipeline run opens a {@link ToolRun} that is fed the deposit's files in
 * batches (a folder on local disk holding part of the deposit's `objects/`, laid out under the
 * deposit's own relative paths) and at the end yields one output file in the tool's own format,
 * which the pipeline writes to the deposit's `metadata/` folder for the readers in lib/formats.
 *
 * Tool failures are findings, never throws: a missing program, a time-out or a bad exit is a
 * message for the run's `errors`, and a tool that is missing is not tried again in the same run.
 */

/** What a tool reports about one batch or the run: messages for the run's `errors`. */
export interface ToolIssue {
  message: string;
}

/** One tool's part of one pipeline run. */
export interface ToolRun {
  /**
   * Run the tool over `folder` (relative to `stageDir`, e.g. `objects` or `data/objects`) with
   * `stageDir` as the working directory, so the paths it records are the deposit's own.
   * Returns what went wrong (empty when all is well). Rejects only for local disk failures.
   */
  batch(stageDir: string, folder: string, signal?: AbortSignal): Promise<ToolIssue[]>;
  /**
   * Close the output: its local path, or null when no batch gave usable output (the pipeline
   * then writes nothing for this tool, so an earlier good output is not replaced by nothing).
   */
  finish(): Promise<string | null>;
}

/** A configured tool. */
export interface PipelineTool {
  /** Its name in messages: `Siegfried`, `ClamAV`, `ExifTool`. */
  readonly name: string;
  /** Where its output goes, below the deposit's metadata folder (e.g. `siegfried/siegfried.yaml`). */
  readonly output: string;
  /** Content type of the output. */
  readonly contentType: string;
  /** Start a run that keeps its files in `workDir` (an empty folder the pipeline owns). */
  open(workDir: string, timeoutMs: number): ToolRun;
}
