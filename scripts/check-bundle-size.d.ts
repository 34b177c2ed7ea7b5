/** Types of scripts/check-bundle-size.js (plain Node ESM, imported by the e2e test). */
export interface BundleFile {
  /** Path relative to dist/. */
  name: string;
  /** Bytes on disk. */
  raw: number;
  /** Bytes after gzip -9. */
  gzip: number;
  /** Referenced from index.html (loaded before the first paint). */
  entry: boolean;
}
export interface BundleMeasurement {
  files: BundleFile[];
  totalJs: number;
  entryJs: number;
}
export interface Budgets {
  totalJs: number;
  entryJs: number;
}
export const BUDGETS: Budgets;
export function measureBundle(distDir: string): BundleMeasurement;
export function overBudget(measured: BundleMeasurement, budgets?: Budgets): string[];
export function formatReport(measured: BundleMeasurement, budgets?: Budgets): string;
