import { readFileSync } from 'node:fs';
import { packagePath } from './paths.js';

/** The package version, read once from package.json. */
export const version: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();
