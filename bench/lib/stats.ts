/** Small statistics and formatting helpers shared by the bench sections. */
import type { Spread } from "./results.js";

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median, min, max and the values themselves. */
export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error("spread: no values");
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), rounds: values };
}

/** Rounds to `digits` decimals (for results.json: no 17-digit noise). */
export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `12 345` style integer, or `1.23` for small values. */
export function num(value: number, digits?: number): string {
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }).replace(/,/g, " ");
}

/** `median (min-max)` of a Spread, e.g. `12 345 (12 001-12 700)`. */
export function showSpread(s: Spread, digits?: number): string {
  return s.rounds.length > 1 ? `${num(s.median, digits)} (${num(s.min, digits)}-${num(s.max, digits)})` : num(s.median, digits);
}

/** A ratio as `0.83x`. */
export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}

/** Bytes as `12.3 KiB`. */
export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Milliseconds as `850 ms` or `3.2 s`. */
export function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** A plain-text table: header row, a rule, then the rows; columns padded, numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-\d.\s(),x%]+\s*(ms|s|KiB|MiB|µs)?x?$/.test(r[i] ?? "")));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
