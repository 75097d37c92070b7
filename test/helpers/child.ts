/** Stopping a test's own child process (a real VictoriaMetrics, vmalert, vmauth): SIGTERM, then SIGKILL. */
import type { ChildProcess } from 'node:child_process';

/** SIGTERM, SIGKILL after `graceMs`; resolves once it has exited (at once if it already has). */
export async function stopChildProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
