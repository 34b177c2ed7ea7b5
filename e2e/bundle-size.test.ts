import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGETS, formatReport, measureBundle, overBudget } from '../scripts/check-bundle-size.js';
import { E2E_DIST, ROOT } from './harness.ts';

/** Every JavaScript file of a build, with its text. */
function scripts(dir: string): { name: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.m?js$/.test(name))
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

/** Strings only the test hooks contain (web/test-hooks.ts, the worker's crash switch). */
const HOOK_MARKERS = ['__astra', 'crashWorker', 'simulated engine worker crash'];

describe('production bundle', () => {
  it('keeps the built JavaScript within the gzip budget', () => {
    const measured = measureBundle(`${ROOT}dist`);
    console.log(formatReport(measured));
    expect(measured.files.some((f) => f.name.includes('engine.worker'))).toBe(true);
    expect(overBudget(measured, BUDGETS)).toEqual([]);
  });

  it('carries no test hooks (they ship only in the e2e build)', () => {
    const leaks = scripts(`${ROOT}dist`).flatMap(({ name, text }) => HOOK_MARKERS.filter((m) => text.includes(m)).map((m) => `${name}: ${m}`));
    expect(leaks).toEqual([]);
    // The check can fail: the e2e build of the same sources has every marker.
    const e2eText = scripts(E2E_DIST).map((s) => s.text).join('\n');
    for (const marker of HOOK_MARKERS) expect(e2eText).toContain(marker);
  });
});
