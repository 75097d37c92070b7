// Writes the configuration reference into README.md from the option definitions.
import { readFileSync, writeFileSync } from 'node:fs';
import { commands } from '../dist/src/cli/commands/index.js';
import { optionsReference, withReference } from '../dist/src/cli/reference.js';

const readme = readFileSync('README.md', 'utf8');
const updated = withReference(readme, optionsReference(commands));
if (updated !== readme) {
  writeFileSync('README.md', updated);
  console.log('README.md: configuration reference updated');
}
