/**
 * Parsers for the procfs files node_exporter reads. They walk lines with indexOf rather than
 * splitting the whole file: /proc/stat's `intr` line alone runs to kilobytes and is never needed.
 * Lines that do not parse are skipped, so a kernel adding fields or lines breaks nothing.
 */

/** Clock ticks per second of /proc/stat. Fixed at 100 in the kernel ABI on every architecture. */
const USER_HZ = 100;

/** node_exporter's modes, in /proc/stat's column order. guest and guest_nice are already in user and nice. */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

export interface CpuTimes {
  /** `0`, `1`, …: node_exporter's `cpu` label. */
  readonly cpu: string;
  /** Seconds in each of CPU_MODES, in that order. */
  readonly seconds: readonly number[];
}

export interface ProcStat {
  readonly cpus: CpuTimes[];
  /** Boot time, seconds since the epoch; undefined when the line is missing. */
  readonly bootTime: number | undefined;
}

export function parseStat(text: string): ProcStat {
  const cpus: CpuTimes[] = [];
  let bootTime: number | undefined;
  forEachLine(text, (start, end) => {
    // `cpu3 …` per CPU; the aggregate `cpu  …` line is left out, as node_exporter does.
    if (text.startsWith('cpu', start) && isDigit(text.charCodeAt(start + 3))) {
      const fields = text.slice(start, end).split(' ');
      const seconds = CPU_MODES.map((_, i) => Number(fields[i + 1] ?? Number.NaN) / USER_HZ);
      if (seconds.every(Number.isFinite)) cpus.push({ cpu: (fields[0] as string).slice(3), seconds });
    } else if (text.startsWith('btime ', start)) {
      const value = Number(text.slice(start + 6, end));
      if (Number.isFinite(value)) bootTime = value;
    }
  });
  return { cpus, bootTime };
}

/** The two that dashboards and alert rules use; each more costs ~150 bytes per scrape. */
export const MEMINFO_FIELDS = ['MemTotal', 'MemAvailable'] as const;
export type MeminfoField = (typeof MEMINFO_FIELDS)[number];
/** Bytes; a field the kernel does not report (MemAvailable before 3.14) is absent. */
export type Meminfo = Partial<Record<MeminfoField, number>>;

const meminfoFields = new Set<string>(MEMINFO_FIELDS);

export function parseMeminfo(text: string): Meminfo {
  const out: Meminfo = {};
  forEachLine(text, (start, end) => {
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon > end) return;
    const key = text.slice(start, colon);
    if (!meminfoFields.has(key)) return;
    // `MemTotal:        3884008 kB`: parseInt skips the padding and stops at the unit.
    const kib = Number.parseInt(text.slice(colon + 1, end), 10);
    if (Number.isFinite(kib)) out[key as MeminfoField] = kib * 1024;
  });
  return out;
}

export interface LoadAverage {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
}

/** `0.52 0.58 0.59 1/345 12345`. */
export function parseLoadavg(text: string): LoadAverage | undefined {
  const f = text.split(' ', 3).map(Number);
  if (f.length < 3 || !f.every(Number.isFinite)) return undefined;
  return { load1: f[0]!, load5: f[1]!, load15: f[2]! };
}

export interface NetDevStats {
  readonly device: string;
  readonly receiveBytes: number;
  readonly receiveErrs: number;
  readonly transmitBytes: number;
  readonly transmitErrs: number;
}

const whitespace = /\s+/;

/** /proc/net/dev: two header lines, then `  eth0: rx(8 columns) tx(8 columns)`. */
export function parseNetDev(text: string): NetDevStats[] {
  const out: NetDevStats[] = [];
  forEachLine(text, (start, end) => {
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon > end) return; // header lines have no colon
    // Old kernels glue large counters to the colon (`eth0:123`): slicing at the colon handles both.
    const f = text
      .slice(colon + 1, end)
      .trim()
      .split(whitespace)
      .map(Number);
    if (f.length < 16 || !f.every(Number.isFinite)) return;
    out.push({
      device: text.slice(start, colon).trim(),
      receiveBytes: f[0]!,
      receiveErrs: f[2]!,
      transmitBytes: f[8]!,
      transmitErrs: f[10]!,
    });
  });
  return out;
}

export interface MountInfo {
  readonly mountPoint: string;
  /** The mount source: `/dev/root`, `/dev/mmcblk0p2`, `tmpfs`. node_exporter's `device`. */
  readonly device: string;
  readonly fstype: string;
}

/**
 * /proc/self/mountinfo: `36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw`.
 * The optional fields before ` - ` vary in number, so the fields after it are found by the separator.
 */
export function parseMountinfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  forEachLine(text, (start, end) => {
    const fields = text.slice(start, end).split(' ');
    const sep = fields.indexOf('-', 6);
    const mountPoint = fields[4];
    const fstype = fields[sep + 1];
    const device = fields[sep + 2];
    if (sep === -1 || mountPoint === undefined || fstype === undefined || device === undefined) return;
    out.push({ mountPoint: unescapeOctal(mountPoint), device: unescapeOctal(device), fstype });
  });
  return out;
}

/**
 * The mount holding `path` (absolute, symlinks resolved): the longest mount point that is a
 * prefix of it. Among equal mount points the last wins, since a later mount hides an earlier one.
 */
export function findMount(mounts: readonly MountInfo[], path: string): MountInfo | undefined {
  let best: MountInfo | undefined;
  for (const m of mounts) {
    const p = m.mountPoint;
    const contains = p === '/' || path === p || (path.startsWith(p) && path.charCodeAt(p.length) === 47); // '/'
    if (contains && (best === undefined || p.length >= best.mountPoint.length)) best = m;
  }
  return best;
}

/** The kernel escapes space, tab, newline and backslash in mount paths as `\040` etc. */
function unescapeOctal(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

function forEachLine(text: string, fn: (start: number, end: number) => void): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    fn(start, end);
    start = end + 1;
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
