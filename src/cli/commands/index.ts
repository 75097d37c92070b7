import type { Command } from '../command.js';
import { budgetCommand } from './budget.js';
import { hashPasswordCommand } from './hash-password.js';
import { renderCommandLine } from './render.js';
import { sensorCommand } from './sensor.js';
import { statusCommand } from './status.js';
import { upCommand } from './up.js';
import { verifyCommand } from './verify.js';

/** Every command, in the order `edgewatch --help` lists them. */
export const commands: readonly Command[] = [
  sensorCommand,
  upCommand,
  statusCommand,
  budgetCommand,
  verifyCommand,
  hashPasswordCommand,
  renderCommandLine,
];
