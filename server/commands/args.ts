/**
 * A small argv parser shared by the sub-commands: known boolean flags, known options that take
 * a value (`--version v2` or `--version=v2`), and positionals. Anything else is a usage error,
 * so a typo never silently changes what a command does.
 */

/** What a command accepts. */
export interface ArgSpec {
  flags?: readonly string[];
  options?: readonly string[];
}

/** Parsed arguments, or the reason they are not acceptable. */
export type ParsedArgs =
  | { ok: true; positionals: string[]; flags: Set<string>; options: Map<string, string> }
  | { ok: false; error: string };

/** Parse `argv` against `spec`. `--` ends option parsing. Never throws. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') return { ok: false, error: `unknown option ${arg}` };
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (spec.flags?.includes(name) && eq < 0) {
      flags.add(name);
    } else if (spec.options?.includes(name)) {
      const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') return { ok: false, error: `${name} needs a value` };
      options.set(name, value);
    } else {
      return { ok: false, error: `unknown option ${arg}` };
    }
  }
  return { ok: true, positionals, flags, options };
}
