import type { Command } from '../command.js';
import { sensorCommand } from './sensor.js';

/** Every command, in the order `edgewatch --help` lists them. */
export const commands: readonly Command[] = [sensorCommand];
