/** `--help` text, generated from the same option definitions that parse flags. */

import { configFileOptions } from '../config/load.js';
import { envName, flagName, type Option, yamlPath } from '../config/option.js';
import { describeBounds, formatDefault, valuePlaceholder } from '../config/option-values.js';
import type { Command } from './command.js';

export function commandHelp(command: Command): string {
  const lines = [
    `Usage: edgewatch ${command.name}${command.args ? ` ${command.args}` : ''} [options]`,
    '',
    wrap(command.description, 78, ''),
    '',
    'Options:',
  ];
  for (const option of [configFileOptions.file, ...command.options]) lines.push(optionHelp(option), '');
  lines.push('  -h, --help', '      Print this help.', '');
  return lines.join('\n');
}

function optionHelp(option: Option): string {
  const head = option.fileOnly
    ? `  ${yamlPath(option).join('.')} (config file only)`
    : `  ${flagName(option)}=${valuePlaceholder(option)}`;
  const facts = [
    option.unit ? `Unit: ${option.unit}.` : undefined,
    `Default: ${formatDefault(option)}.`,
    describeBounds(option),
    option.fileOnly ? undefined : `Env: ${envName(option)}.`,
  ].filter(Boolean);
  return `${head}\n${wrap(`${option.description} ${facts.join(' ')}`, 78, '      ')}`;
}

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: edgewatch <command> [options]',
    '',
    'An observability stack for small edge computers: sensors, VictoriaMetrics, a dashboard and',
    'local alerting inside a measured memory budget.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'edgewatch <command> --help' for the command's options, units and defaults.",
    '',
  ].join('\n');
}

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > width && line.trim() !== '') {
      out.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  if (line.trim() !== '') out.push(line.trimEnd());
  return out.join('\n');
}
