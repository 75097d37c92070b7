/** Runs bin/edgewatch as a real child process and reads its JSON log lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const edgewatchBin = `${repoRoot}bin/edgewatch`;

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export class EdgewatchProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly stderrText: string[] = [];
  stdout = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(edgewatchBin, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) {
        this.stderrText.push(text);
        try {
          this.lines.push(JSON.parse(text) as LogLine);
        } catch {
          // Not every stderr line is ours (a crashed child's raw output); keep the text only.
        }
      }
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /**
   * Waits for a log line matching `match` and returns it. Fails at once if the process exits
   * first, and names stderr as it is when giving up: the message used to be built before the
   * wait began, so a timeout always said "stderr so far: " (empty) whatever the child had written.
   */
  async waitForLog(match: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    try {
      // waitFor retries a probe that throws, so an exit is returned as a value and thrown here.
      const exited = Symbol('exited');
      const found = await waitFor(
        'log line',
        () => {
          const line = this.lines.find(match);
          if (line) return line;
          if (this.child.exitCode !== null || this.child.signalCode !== null) return exited;
          return undefined;
        },
        timeoutMs,
      );
      if (found === exited) {
        throw new Error(`edgewatch exited (code ${this.child.exitCode}, signal ${this.child.signalCode})`);
      }
      return found as LogLine;
    } catch (err) {
      const tail = this.stderrText.slice(-5).join(' | ');
      throw new Error(`${(err as Error).message} (pid ${this.child.pid}, stderr so far: ${tail})`);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      const result = await this.exited;
      clearTimeout(timer);
      return result;
    }
    return this.exited;
  }
}

/** Runs a command to completion: for --help, bad config and other short-lived invocations. */
export async function runEdgewatch(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 10_000,
): Promise<{ code: number | null; stdout: string; stderr: string; lines: LogLine[] }> {
  const proc = new EdgewatchProcess(args, env);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const { code } = await proc.exited;
  clearTimeout(timer);
  return { code, stdout: proc.stdout, stderr: proc.stderrText.join('\n'), lines: proc.lines };
}
