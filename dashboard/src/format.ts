/** Turning base units (°C, ratio, Pa, bytes, seconds) into what people read. */
import { megabytes } from '../../src/config/units.js';
import type { Unit } from './queries.js';

const quantities: Record<string, { label: string; format: (v: number) => string }> = {
  celsius: { label: 'Temperature', format: (v) => `${v.toFixed(1)} °C` },
  ratio: { label: 'Humidity', format: (v) => `${(v * 100).toFixed(1)} %` },
  pascals: { label: 'Pressure', format: (v) => `${(v / 100).toFixed(1)} hPa` },
};

/** Channels named after their quantity are not worth repeating next to it. */
const plainChannels = new Set(['temp', 'temp1', 'input', 'humidityrelative', 'pressure']);

/** `values` key `<channel>_<unit>` and its value → label and formatted reading. */
export function formatReading(key: string, value: number): { label: string; text: string } {
  const cut = key.lastIndexOf('_');
  const channel = cut === -1 ? key : key.slice(0, cut);
  const unit = cut === -1 ? '' : key.slice(cut + 1);
  const quantity = quantities[unit];
  if (!quantity) return { label: key, text: String(value) };
  const label = plainChannels.has(channel) ? quantity.label : `${quantity.label} (${channel})`;
  return { label, text: quantity.format(value) };
}

export function formatAge(seconds: number | null): string {
  if (seconds === null) return 'never read';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s ago`;
  return `${formatSeconds(seconds)} ago`;
}

/** 45 s, 12 min, 5 h, 5 h 2 min, 3 d 4 h. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  const [big, bigUnit, small, smallUnit] =
    s < 86_400
      ? [Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min']
      : [Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h'];
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

/** Decimal units (kB, MB, GB), as `docker stats` and the memory budget print them. */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (Math.abs(bytes) >= 1e6) return `${megabytes(bytes)} MB`;
  if (Math.abs(bytes) >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The one date format of the page: `2026-12-04 09:28:28 UTC+1`, 24-hour, with the zone, because
 * the box and the browser can be in different zones. `timeZone` for tests; the browser's otherwise.
 */
export function formatDateTime(ms: number, timeZone?: string): string {
  if (!Number.isFinite(ms)) return '–';
  const key = timeZone ?? '';
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
      timeZone,
    });
    dateTimeFormats.set(key, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  const zone = (p.timeZoneName ?? '').replace(/^GMT$/, 'UTC').replace(/^GMT/, 'UTC');
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zone}`;
}

/** An RFC 3339 time from the API in the page's format; the text as it is when unparseable. */
export function formatTime(iso: string): string {
  const ms = new Date(iso).getTime();
  return Number.isNaN(ms) ? iso : formatDateTime(ms);
}

/** "12 min" since `iso` at `nowMs`, for "firing for 12 min". */
export function durationSince(iso: string, nowMs: number): string {
  const ms = new Date(iso).getTime();
  return Number.isNaN(ms) ? '?' : formatSeconds(Math.max(0, (nowMs - ms) / 1000));
}

/**
 * How a component's last run ended, for the Stack view: "restarted 3 min ago: killed by SIGKILL
 * (2026-12-04 09:00:00 UTC)"; "exited" when it was not started again. Undefined when it never ended.
 */
export function formatLastExit(
  exit: { at: string; reason: string } | null,
  running: boolean,
  nowMs: number,
  timeZone?: string,
): string | undefined {
  if (exit === null) return undefined;
  const ms = new Date(exit.at).getTime();
  const when = Number.isNaN(ms) ? exit.at : `${formatSeconds(Math.max(0, (nowMs - ms) / 1000))} ago`;
  const at = Number.isNaN(ms) ? '' : ` (${formatDateTime(ms, timeZone)})`;
  return `${running ? 'restarted' : 'exited'} ${when}: ${exit.reason}${at}`;
}

/** A chart value (already scaled) in the chart's unit. */
export function formatValue(unit: Unit, v: number): string {
  switch (unit) {
    case 'celsius':
      return `${v.toFixed(1)} °C`;
    case 'percent':
      return `${v.toFixed(1)} %`;
    case 'hectopascals':
      return `${v.toFixed(1)} hPa`;
    case 'seconds':
      return v < 1 ? `${(v * 1000).toPrecision(3)} ms` : `${v.toPrecision(3)} s`;
    case 'bytes':
      return formatBytes(v);
    case 'per_second':
      return `${plain(v)}/s`;
    case 'up':
      return v >= 1 ? 'up' : 'down';
    default:
      return plain(v);
  }
}

/** Three significant digits without exponents: 0, 0.25, 12.5, 1500. */
function plain(v: number): string {
  return Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
}
