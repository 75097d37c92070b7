/** A small line chart as SVG text, for benchmark figures the README shows (no dependency). */

export interface Line {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Round tick steps (1, 2, 5 × 10^n) giving about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

export function lineChart(lines: readonly Line[], o: ChartOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 360;
  const pad = { left: 64, right: 180, top: 36, bottom: 48 };
  const all = lines.flatMap((l) => l.points);
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const yMax = Math.max(1, ...all.map((p) => p[1])) * 1.1;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (v: number) => pad.left + (v / xMax) * plotW;
  const y = (v: number) => pad.top + plotH - (v / yMax) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(o.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${pad.left}" y="20" font-size="14" font-weight="bold">${esc(o.title)}</text>`,
  ];
  const yStep = tickStep(yMax, 5);
  for (let v = 0; v <= yMax; v += yStep) {
    out.push(
      `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${+v.toFixed(2)}</text>`,
    );
  }
  const xStep = tickStep(xMax, 6);
  for (let v = 0; v <= xMax; v += xStep) {
    out.push(`<text x="${x(v)}" y="${pad.top + plotH + 16}" text-anchor="middle">${+v.toFixed(2)}</text>`);
  }
  out.push(
    `<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#333"/>`,
    `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" stroke="#333"/>`,
    `<text x="${pad.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text x="16" y="${pad.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${pad.top + plotH / 2})">${esc(o.yLabel)}</text>`,
  );
  for (const [i, line] of lines.entries()) {
    const color = COLORS[i % COLORS.length];
    const d = line.points
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`)
      .join(' ');
    out.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`,
      `<rect x="${pad.left + plotW + 16}" y="${pad.top + i * 20}" width="12" height="12" fill="${color}"/>`,
      `<text x="${pad.left + plotW + 34}" y="${pad.top + i * 20 + 10}">${esc(line.label)}</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
