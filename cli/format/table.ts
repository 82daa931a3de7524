import { visibleLength } from './style.ts';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Right-aligned (numbers). */
  right?: boolean;
}

/**
 * A plain table: a header row and space-padded columns, the last one unpadded, so `grep` and
 * `awk '{print $1}'` work on it. Cells with line breaks are cut at the first one.
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], header: (text: string) => string = (t) => t): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row).split('\n')[0] ?? ''));
  const widths = columns.map((c, i) => Math.max(visibleLength(c.header), ...cells.map((r) => visibleLength(r[i] ?? ''))));
  const pad = (text: string, i: number) => {
    if (i === columns.length - 1 && !columns[i]?.right) return text;
    const fill = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(text)));
    return columns[i]?.right ? fill + text : text + fill;
  };
  const lines = [columns.map((c, i) => header(pad(c.header, i))).join('  '), ...cells.map((r) => r.map((cell, i) => pad(cell, i)).join('  '))];
  return lines.map((l) => l.trimEnd()).join('\n');
}
