/**
 * Pure helpers for the data-source badge in the header: the as-of text and the report's counts.
 * (The rest of the module is web/lib/source-files.ts, loaded with the data-source chunk.) No DOM.
 */
import type { DataReport } from '../workers/protocol.ts';

/**
 * A snapshot's as-of for the badge: a date stays a date (`2026-11-20`); an instant is shown in
 * UTC to the minute (`2025-03-14 21:00 UTC`), the same for every viewer.
 */
export function asOfText(asOf: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return asOf;
  const t = Date.parse(asOf);
  if (!Number.isFinite(t)) return asOf;
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** How much the report holds, for the header's button. */
export interface ReportCounts {
  dropped: number;
  flagged: number;
}

/** Values dropped and flags raised. */
export function reportCounts(report: DataReport): ReportCounts {
  return { dropped: report.dropped.reduce((n, d) => n + d.count, 0), flagged: report.flags.length };
}
