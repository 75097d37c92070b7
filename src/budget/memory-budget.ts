/**
 * budget.memory as `edgewatch up` uses it: the option when it is given; otherwise the memory
 * limit of the cgroup edgewatch runs in (a container's memory limit, a unit's MemoryMax=), so the
 * stack plans for the memory it really has; otherwise the option's default.
 */

import type { Config } from '../config/load.js';
import { type CgroupLimitPaths, cgroupMemoryLimit } from './cgroup-limit.js';
import { budgetOptions } from './plan.js';

export function memoryBudget(config: Config, paths?: CgroupLimitPaths): number {
  const value = config.get(budgetOptions.memory);
  if (config.origin(budgetOptions.memory) !== 'default') return value;
  return cgroupMemoryLimit(paths) ?? value;
}
