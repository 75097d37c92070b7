/**
 * The `edgewatch` command line. A thin entry: pick the command, resolve its configuration,
 * run it, turn errors into exit codes (EXIT_CODES in src/errors.ts; 1 for an unexpected error).
 */
import { loadConfig } from '../config/load.js';
import { EdgewatchError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { version } from '../version.js';
import { commands } from './commands/index.js';
import { commandHelp, mainHelp } from './help.js';

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`edgewatch: unknown command "${name}"\n\n${mainHelp(commands)}`);
    return 2;
  }
  try {
    const allOptions = commands.flatMap((c) => c.options);
    const { config, positionals, help } = loadConfig({
      options: command.options,
      knownOptions: allOptions,
      argv: rest,
    });
    if (help) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    return await command.run(config, positionals);
  } catch (err) {
    if (err instanceof EdgewatchError) {
      createLogger().error(err.message, { code: err.code, command: name });
      return err.exitCode;
    }
    createLogger().error('fatal error', {
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    return 1;
  }
}
