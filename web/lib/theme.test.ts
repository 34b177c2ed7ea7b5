import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { THEME_SLOT, resolveTheme, type Theme, type ThemeChoice } from './theme.ts';

/** The inline script of index.html that sets the theme before the first paint. */
function bootScript(): string {
  const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const boot = scripts.find((s) => s.includes('astra.theme.v1'));
  if (!boot) throw new Error('index.html has no inline theme script');
  return boot;
}

/** Run the boot script against a fake page: saved slot text, system scheme (null = no matchMedia). */
function runBoot(saved: string | null, systemDark: boolean | null): string | undefined {
  const dataset: Record<string, string> = {};
  const localStorage = { getItem: (key: string) => (key === 'astra.theme.v1' ? saved : null) };
  const matchMedia =
    systemDark === null
      ? () => {
          throw new Error('matchMedia is not supported');
        }
      : (query: string) => ({ matches: query === '(prefers-color-scheme: dark)' && systemDark });
  new Function('localStorage', 'matchMedia', 'document', bootScript())(localStorage, matchMedia, { documentElement: { dataset } });
  return dataset.theme;
}

describe('theme', () => {
  it('follows the system unless the user chose a theme', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('system', null)).toBe('dark');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads "dark", "light" and "system" from its slot and rejects anything else', () => {
    for (const v of ['dark', 'light', 'system']) expect(THEME_SLOT.read(v, () => {})).toBe(v);
    expect(() => THEME_SLOT.read('blue', () => {})).toThrow('unknown theme "blue"');
    expect(() => THEME_SLOT.read(null, () => {})).toThrow();
  });

  it('is set before the first paint by index.html’s script with the same rule', () => {
    const slots: [string | null, ThemeChoice][] = [
      [null, 'system'],
      ['"system"', 'system'],
      ['"light"', 'light'],
      ['"dark"', 'dark'],
    ];
    for (const [saved, choice] of slots) {
      for (const systemDark of [true, false, null]) {
        expect(runBoot(saved, systemDark), `${saved} / system dark ${systemDark}`).toBe(resolveTheme(choice, systemDark));
      }
    }
    // An unreadable slot is ignored (the app moves it aside and uses the default, the system's).
    const unreadable: [string, boolean | null, Theme][] = [['{oops', false, 'light'], ['"blue"', true, 'dark'], ['{oops', null, 'dark']];
    for (const [saved, systemDark, expected] of unreadable) expect(runBoot(saved, systemDark)).toBe(expected);
  });
});
