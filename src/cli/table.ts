/** Plain-text tables for terminal commands: columns padded to their widest cell, numbers right-aligned. */
import { megabytes } from '../config/units.js';

export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right';
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const width = widths[i] as number;
        return c.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.title)), ...rows.map(line)].join('\n')}\n`;
}

/** A table cell in megabytes (the column header says MB); '-' for none. */
export function megabytesCell(bytes: number | null | undefined): string {
  return bytes ? megabytes(bytes) : '-';
}
