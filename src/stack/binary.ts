/** Finds a component's executable before anything starts, so a missing one fails fast with a fix. */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { EdgewatchError, ErrorCode } from '../errors.js';

/** The absolute path of `command` (a path, or a name looked up on PATH), or undefined. */
export function findExecutable(command: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : resolve(command)]
    : path
        .split(delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, command));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Like findExecutable, but a missing binary is BINARY_MISSING (exit 2) with how to install it:
 * the Debian package, or the official release archives and the option to point at them.
 */
export function requireExecutable(command: string, optionName: string): string {
  const found = findExecutable(command);
  if (found) return found;
  const where = command.includes('/') ? command : `"${command}" on PATH`;
  throw new EdgewatchError(
    ErrorCode.BINARY_MISSING,
    `cannot find ${where} (--${optionName}): install it with \`apt-get install victoria-metrics\` (Debian, Raspberry Pi OS, Ubuntu), or download the release binaries from https://github.com/VictoriaMetrics/VictoriaMetrics/releases (victoria-metrics-linux-<arch>-*.tar.gz holds victoria-metrics-prod, vmutils-linux-<arch>-*.tar.gz holds vmalert-prod) and set --${optionName}=/path/to/the/binary`,
  );
}
