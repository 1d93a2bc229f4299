/**
 * Reading layout parameters from a parsed `config.json`: each reader records a problem instead
 * of throwing, so one InvalidInputError can list everything wrong with a config.
 */
import { InvalidInputError } from '../errors.js';
import { truncateForMessage } from '../paths.js';

/** A config value for a message: JSON, cut short (values come from someone else's file). */
function shown(value: unknown): string {
  return truncateForMessage(JSON.stringify(value) ?? typeof value, 80);
}

/** Collects problems with one extension config. */
export class ConfigProblems {
  readonly problems: string[] = [];
  constructor(readonly extensionName: string) {}

  add(message: string): void {
    this.problems.push(message);
  }

  /** Throw one InvalidInputError naming every problem, if there were any. */
  throwIfAny(): void {
    if (this.problems.length === 0) return;
    throw new InvalidInputError(`invalid ${this.extensionName} config: ${this.problems.join('; ')}`, {
      operation: 'layoutFromConfig',
      key: this.extensionName,
    });
  }
}

/** An integer parameter in [min, max]; `fallback` when absent. */
export function intParam(
  config: Record<string, unknown>,
  name: string,
  fallback: number,
  range: [number, number],
  out: ConfigProblems,
): number {
  const value = config[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) {
    out.add(`${name} must be an integer from ${range[0]} to ${range[1]} (got ${shown(value)})`);
    return fallback;
  }
  return value;
}

/** A boolean parameter; `fallback` when absent. */
export function boolParam(
  config: Record<string, unknown>,
  name: string,
  fallback: boolean,
  out: ConfigProblems,
): boolean {
  const value = config[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    out.add(`${name} must be true or false (got ${shown(value)})`);
    return fallback;
  }
  return value;
}

/** A string parameter; `fallback` when absent (undefined = required). */
export function stringParam(
  config: Record<string, unknown>,
  name: string,
  fallback: string | undefined,
  out: ConfigProblems,
): string | undefined {
  const value = config[name];
  if (value === undefined || value === null) {
    if (fallback === undefined) out.add(`${name} is required`);
    return fallback;
  }
  if (typeof value !== 'string' || value === '') {
    out.add(`${name} must be a non-empty string (got ${shown(value)})`);
    return fallback;
  }
  return value;
}

/** The `extensionName` inside a config, when present, must name the extension it configures. */
export function checkExtensionName(config: Record<string, unknown>, out: ConfigProblems): void {
  const name = config['extensionName'];
  if (name !== undefined && name !== out.extensionName) {
    out.add(`extensionName is ${shown(name)}, expected ${shown(out.extensionName)}`);
  }
}
