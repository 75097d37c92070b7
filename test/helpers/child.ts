/** Stopping a test's own child process (a real VictoriaMetrics, vmalert, vmauth): SIGTERM, then SIGKILL. */
import { type ChildProcess, spawn } from 'node:child_process';

/** SIGTERM, SIGKILL after `graceMs`; resolves once it has exited (at once if it already has). */
export async function stopChildProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Spawns a real binary for a test; when it exits with an error, the tail of its stderr is printed. */
export function spawnReporting(binary: string, args: readonly string[]): ChildProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) process.stderr.write(`${binary} exited with ${code}: ${stderr}\n`);
  });
  return child;
}
