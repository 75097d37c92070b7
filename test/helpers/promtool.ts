/** Runs the real `promtool check metrics` (Debian package prometheus) on an exposition body. */
import { spawnSync } from 'node:child_process';

/**
 * node_exporter's meminfo names (`node_memory_MemAvailable_bytes`) keep the kernel's camelCase so
 * that existing dashboards and alert rules work unchanged; promtool's linter flags exactly those
 * and nothing else is excused.
 */
const nodeExporterCamelCase =
  /^node_memory_[A-Za-z]+_bytes metric names should be written in 'snake_case' not 'camelCase'$/;

export function promtoolProblems(body: string): string[] {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
  if (result.error)
    throw new Error(`promtool not runnable (install Debian package prometheus): ${result.error.message}`);
  const problems = `${result.stdout}${result.stderr}`
    .split('\n')
    .filter((line) => line.trim() !== '' && !nodeExporterCamelCase.test(line));
  // Exit 3 means lint findings only (listed above); anything else but 0 is a parse failure.
  if (result.status !== 0 && result.status !== 3) problems.push(`promtool exited ${result.status}`);
  return problems;
}
