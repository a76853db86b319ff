/** Plain-text tables for the terminal. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fixed = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
export const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');
export const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** `median (min–max)` of the rounds. */
export function spread(values: number[], digits: number): string {
  const show = (n: number): string => (digits === 0 ? thousands(n) : fixed(n, digits));
  if (values.length === 1) return show(values[0]);
  return `${show(median(values))} (${show(Math.min(...values))}–${show(Math.max(...values))})`;
}
