/**
 * Which command-line flags a VictoriaMetrics binary accepts, read from its `-help` (~13 ms,
 * printed to stdout): a flag unknown to the installed release makes it exit at start, and the
 * releases in use differ (1.79 on Debian 12, 1.112 on Debian 13 and Raspberry Pi OS).
 */
import { execFileSync } from 'node:child_process';

/** The help a flag-less binary still prints would not take longer than this. */
const HELP_TIMEOUT_MS = 5000;

/** Every `-name` the binary lists; empty when it cannot be asked (then no optional flag is passed). */
export function binaryFlags(binary: string): ReadonlySet<string> {
  let help: string;
  try {
    help = execFileSync(binary, ['-help'], {
      encoding: 'utf8',
      timeout: HELP_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 4 * 1024 * 1024,
    });
  } catch (err) {
    // Some releases exit non-zero after printing the help: what they printed still counts.
    help = String((err as { stdout?: unknown }).stdout ?? '');
  }
  return parseHelpFlags(help);
}

/** Flag names from Go's flag.PrintDefaults output: `  -name type` at the start of a line. */
export function parseHelpFlags(help: string): ReadonlySet<string> {
  return new Set([...help.matchAll(/^ {2}-([A-Za-z0-9][\w.-]*)/gm)].map((m) => m[1] as string));
}
