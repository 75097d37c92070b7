import type { Config } from '../config/load.js';
import type { Option } from '../config/option.js';

export interface Command {
  name: string;
  /** One line for `edgewatch --help`. */
  summary: string;
  /** Paragraph for `edgewatch <command> --help`. */
  description: string;
  /** Positional arguments, for the usage line, e.g. `[component]`. */
  args?: string;
  options: readonly Option[];
  /** Resolves with the exit code. */
  run(config: Config, positionals: string[]): Promise<number>;
}
