/** Small helpers every bench suite's command line shares. */
import { loadavg } from 'node:os';

/** The value of `--name=value` in `argv`, or undefined. */
export function option(argv: readonly string[], name: string): string | undefined {
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** The 1, 5 and 15 minute load averages with `digits` decimals (default 2), for printing beside figures. */
export function load(digits = 2): string {
  return loadavg()
    .map((x) => x.toFixed(digits))
    .join(' ');
}
