/**
 * The pipeline's tools, chosen and configured by the caller (the server reads its environment;
 * lib reads none): Siegfried, ClamAV and ExifTool, each run as a real program.
 */
import { type ClamAvConfig, clamAvTool } from './clamav.js';
import { type ExifToolConfig, exifTool } from './exiftool.js';
import type { PipelineTool } from './port.js';
import { type SiegfriedConfig, siegfriedTool } from './siegfried.js';

export type { ClamAvConfig } from './clamav.js';
export type { ExifToolConfig } from './exiftool.js';
export type { PipelineTool, ToolIssue, ToolRun } from './port.js';
export type { SiegfriedConfig } from './siegfried.js';

/** Which tools run and how; a tool set to `false` is left out. Default: all three with their default programs. */
export interface PipelineToolsConfig {
  siegfried?: SiegfriedConfig | false;
  clamav?: ClamAvConfig | false;
  exiftool?: ExifToolConfig | false;
}

/** The configured tools, in the order they run: Siegfried, ClamAV, ExifTool. */
export function pipelineTools(config: PipelineToolsConfig = {}): PipelineTool[] {
  const tools: PipelineTool[] = [];
  if (config.siegfried !== false) tools.push(siegfriedTool(config.siegfried ?? {}));
  if (config.clamav !== false) tools.push(clamAvTool(config.clamav ?? {}));
  if (config.exiftool !== false) tools.push(exifTool(config.exiftool ?? {}));
  return tools;
}
