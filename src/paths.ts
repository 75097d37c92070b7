/**
 * Where edgewatch's own files are. The code runs from two places, the compiled modules under
 * dist/src/ (tests) and the single bundle dist/edgewatch.cjs (bin/edgewatch), at different
 * depths; so the package root is found by walking up to edgewatch's package.json, never by
 * counting `../`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'edgewatch'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`edgewatch's package.json not found above ${start}`);
  }
}

const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** `path` inside the package, e.g. `rules/edgewatch.rules.yml`. */
export function packagePath(path: string): string {
  return join(packageRoot, path);
}
