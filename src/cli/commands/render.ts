import { EdgewatchError, ErrorCode } from '../../errors.js';
import type { Command } from '../command.js';
import { type Deployment, deployments, renderCommand, renderDeployment } from '../deployments.js';

const targets = [...deployments.map((d) => d.name), 'command'] as const;

export const renderCommandLine: Command = {
  name: 'render',
  summary: 'Print what the Dockerfile, docker-compose.yml and the systemd unit give edgewatch up.',
  description: `Prints, from the one table of deployment settings (src/cli/deployments.ts), the settings and memory limit each shipped file carries, in that file's syntax: dockerfile (ENV), compose (the edgewatch service's environment and mem_limit), systemd (Environment= and MemoryMax=); or, with command, the bare-box command line that runs the same as each of them. A test proves the committed files match. Targets: ${targets.join(', ')}.`,
  args: `<${targets.join('|')}>`,
  options: [],
  async run(_config, positionals) {
    const [target, ...extra] = positionals;
    if (target === undefined || extra.length > 0 || !(targets as readonly string[]).includes(target)) {
      throw new EdgewatchError(
        ErrorCode.USAGE,
        `render takes one target, ${targets.join(', ')}${target === undefined ? '' : `; got ${positionals.join(' ')}`}`,
      );
    }
    if (target === 'command') {
      for (const d of deployments) process.stdout.write(`# ${d.file}\n${renderCommand(d)}\n`);
    } else {
      process.stdout.write(renderDeployment(deployments.find((d) => d.name === target) as Deployment));
    }
    return 0;
  },
};
