/**
 * Resolves every option of a command from, in order of precedence: command-line flags, the
 * environment, the YAML file named by --config.file, and the option's default.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EdgewatchError, ErrorCode, errorMessage } from '../errors.js';
import {
  defineOptions,
  envName,
  flagName,
  type Option,
  type OptionValue,
  originName,
  type ValueOrigin,
  yamlPath,
} from './option.js';
import { parseOptionValue } from './option-values.js';
import { yamlLimitProblem } from './yaml-limits.js';

export const configFileOptions = defineOptions({
  file: {
    name: 'config.file',
    kind: 'string',
    default: '',
    defaultText: '(none)',
    description:
      'YAML configuration file. Keys are the option names below as nested YAML with snake_case words; flags and environment variables override it.',
  },
});

export class Config {
  readonly #values = new Map<Option, unknown>();
  readonly #origins = new Map<Option, ValueOrigin>();

  set(option: Option, value: unknown, origin: ValueOrigin): void {
    this.#values.set(option, value);
    this.#origins.set(option, origin);
  }

  get<O extends Option>(option: O): OptionValue<O> {
    if (!this.#values.has(option)) {
      throw new Error(`option ${option.name} was not resolved for this command`);
    }
    return this.#values.get(option) as OptionValue<O>;
  }

  origin(option: Option): ValueOrigin | undefined {
    return this.#origins.get(option);
  }

  /** Every resolved option with its value, secrets masked: for the start-up log line. */
  describe(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [option, value] of this.#values) {
      if (this.#origins.get(option) === 'default') continue;
      out[option.name] = option.secret ? '(set)' : value;
    }
    return out;
  }
}

export interface LoadOptions {
  /** The options this command uses. */
  options: readonly Option[];
  /** Every option any command knows: keys in the file may belong to other commands. */
  knownOptions?: readonly Option[];
  argv: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface LoadResult {
  config: Config;
  /** Arguments that are not flags, in order. */
  positionals: string[];
  /** --help or -h was given. */
  help: boolean;
}

export function loadConfig({
  options,
  knownOptions = options,
  argv,
  env = process.env,
}: LoadOptions): LoadResult {
  const all: readonly Option[] = [configFileOptions.file, ...options];
  const byFlag = new Map(all.map((o) => [flagName(o), o]));
  const flags = new Map<Option, string>();
  const positionals: string[] = [];
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const option = byFlag.get(name);
    if (!option) {
      throw new EdgewatchError(ErrorCode.USAGE, `unknown flag ${name}${suggest(name, [...byFlag.keys()])}`);
    }
    if (option.fileOnly) {
      throw new EdgewatchError(
        ErrorCode.USAGE,
        `${option.name} can only be set in the config file (${yamlPath(option).join('.')})`,
      );
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (option.kind === 'bool' && (argv[i + 1] === undefined || (argv[i + 1] as string).startsWith('-')))
      value = 'true';
    else if (argv[i + 1] !== undefined) value = argv[++i] as string;
    else throw new EdgewatchError(ErrorCode.USAGE, `flag ${name} needs a value`);
    flags.set(option, value);
  }

  const config = new Config();
  if (help) {
    for (const option of all) config.set(option, option.default, 'default');
    return { config, positionals, help };
  }

  const filePath = flags.get(configFileOptions.file) ?? env[envName(configFileOptions.file)] ?? '';
  const file = filePath === '' ? undefined : readConfigFile(filePath, knownOptions);

  for (const option of all) {
    const flag = flags.get(option);
    const fromEnv = option.fileOnly ? undefined : env[envName(option)];
    const fromFile = file ? lookup(file, yamlPath(option)) : undefined;
    if (flag !== undefined)
      config.set(option, parseOptionValue(option, flag, originName(option, 'flag')), 'flag');
    else if (fromEnv !== undefined)
      config.set(option, parseOptionValue(option, fromEnv, originName(option, 'env')), 'env');
    else if (fromFile !== undefined)
      config.set(option, parseOptionValue(option, fromFile, originName(option, 'file', filePath)), 'file');
    else config.set(option, option.default, 'default');
  }
  return { config, positionals, help };
}

type YamlTree = Record<string, unknown>;

function readConfigFile(path: string, known: readonly Option[]): YamlTree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EdgewatchError(ErrorCode.CONFIG_FILE, `cannot read config file ${path}: ${errorMessage(err)}`);
  }
  const limit = yamlLimitProblem(text);
  if (limit !== undefined) {
    throw new EdgewatchError(ErrorCode.CONFIG_FILE, `cannot parse config file ${path}: ${limit}`);
  }
  let tree: unknown;
  try {
    // Loaded only when a file is given: the YAML parser is the largest module edgewatch imports.
    const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    tree = yaml.parse(text) ?? {};
  } catch (err) {
    throw new EdgewatchError(ErrorCode.CONFIG_FILE, `cannot parse config file ${path}: ${errorMessage(err)}`);
  }
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw new EdgewatchError(
      ErrorCode.CONFIG_FILE,
      `config file ${path} must be a YAML mapping at the top level`,
    );
  }
  checkKeys(tree as YamlTree, known, path);
  return tree as YamlTree;
}

/** Typos in a config file must not be silently ignored: every leaf must be a known option. */
function checkKeys(tree: YamlTree, known: readonly Option[], path: string): void {
  const leaves = new Map(known.map((o) => [yamlPath(o).join('.'), o]));
  const walk = (node: YamlTree, prefix: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const keyPath = [...prefix, key];
      const joined = keyPath.join('.');
      if (leaves.has(joined)) continue;
      const isBranch = [...leaves.keys()].some((leaf) => leaf.startsWith(`${joined}.`));
      if (isBranch && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        walk(value as YamlTree, keyPath);
        continue;
      }
      throw new EdgewatchError(
        ErrorCode.CONFIG_INVALID,
        `unknown key ${joined} in config file ${path}${suggest(joined, [...leaves.keys()])}`,
      );
    }
  };
  walk(tree, []);
}

function lookup(tree: YamlTree, path: string[]): unknown {
  let node: unknown = tree;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as YamlTree)[key];
  }
  return node ?? undefined;
}

function suggest(name: string, candidates: string[]): string {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}
