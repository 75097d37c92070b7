// Checks the import graph of src/ (and what the dashboard takes from it) against the floors in
// ARCHITECTURE.md: every room is on a floor, imports point down or across a floor, never up; no
// circle between rooms nor between modules; src/metrics imports nothing but itself. A room is a
// folder under src/ (src/stack/) or a file directly in it (src/errors.ts). Exits 1 listing every
// violation. `node scripts/check-imports.mjs [root]`; test/guards/layering.test.ts runs it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, relative, sep } from 'node:path';

const ts = createRequire(import.meta.url)('typescript');

/** Bottom first. A room may import rooms on its own floor or below. */
export const FLOORS = [
  {
    name: 'libraries',
    rooms: [
      'api',
      'budget',
      'config',
      'errors',
      'lifecycle',
      'log',
      'metrics',
      'net',
      'paths',
      'process',
      'sampling',
      'version',
    ],
  },
  { name: 'domains', rooms: ['alerts', 'host', 'http', 'sensor', 'service', 'stack', 'uplink'] },
  { name: 'tools', rooms: ['verify'] },
  { name: 'entry', rooms: ['cli'] },
];

/** Rooms that may import nothing outside themselves. */
const PURE = ['metrics'];
/** The browser app may take only libraries from src/: it is bundled without Node. */
const DASHBOARD_FLOOR = 'libraries';

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.ts$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to repository paths of .ts files. */
function importsOf(root, file) {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) =>
      normalize(join(dirname(file), spec.replace(/\.js$/, '.ts')))
        .split(sep)
        .join('/'),
    );
}

function roomOf(path) {
  const [top, first, ...rest] = path.split('/');
  if (top !== 'src') return undefined;
  return rest.length === 0 ? first.replace(/\.ts$/, '') : first;
}

/** Strongly connected components with more than one member (Tarjan): the circles. */
function circles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

export function checkImports(root) {
  const floorOf = new Map(FLOORS.flatMap((floor, level) => floor.rooms.map((room) => [room, level])));
  const problems = [];
  const moduleEdges = new Map();
  const roomEdges = new Map();
  const files = walk(join(root, 'src')).map((f) => relative(root, f).split(sep).join('/'));
  const dashboard = walk(join(root, 'dashboard')).map((f) => relative(root, f).split(sep).join('/'));

  for (const file of files) {
    const room = roomOf(file);
    if (!floorOf.has(room)) {
      problems.push(`${file}: room "${room}" is on no floor (add it to FLOORS in scripts/check-imports.mjs)`);
      continue;
    }
    for (const target of importsOf(root, file)) {
      if (!moduleEdges.has(file)) moduleEdges.set(file, new Set());
      moduleEdges.get(file).add(target);
      const to = roomOf(target);
      if (to === undefined) {
        problems.push(`${file} imports ${target}, outside src/`);
        continue;
      }
      if (to === room) continue;
      if (!roomEdges.has(room)) roomEdges.set(room, new Set());
      roomEdges.get(room).add(to);
      if (PURE.includes(room)) problems.push(`${file} imports ${target}: src/${room} is a pure library`);
      const [from, up] = [floorOf.get(room), floorOf.get(to)];
      if (up !== undefined && up > from) {
        problems.push(
          `${file} imports ${target}: up from ${FLOORS[from].name} (${room}) to ${FLOORS[up].name} (${to})`,
        );
      }
    }
  }
  for (const circle of circles(roomEdges))
    problems.push(`rooms import each other in a circle: ${circle.join(', ')}`);
  for (const circle of circles(moduleEdges))
    problems.push(`modules import each other in a circle: ${circle.join(', ')}`);

  const allowed = FLOORS.findIndex((f) => f.name === DASHBOARD_FLOOR);
  for (const file of dashboard) {
    for (const target of importsOf(root, file)) {
      const to = roomOf(target);
      if (to !== undefined && !(floorOf.get(to) <= allowed)) {
        problems.push(`${file} imports ${target}: the dashboard may take only ${DASHBOARD_FLOOR} from src/`);
      }
    }
  }
  return problems;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split(sep).join('/'))) {
  const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;
  const problems = checkImports(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-imports: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log('check-imports: no circle, no import up a floor, src/metrics pure');
}
