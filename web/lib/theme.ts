/** The colour theme and its storage slot. */
import type { Slot } from './storage.ts';

/** Colour theme on screen. */
export type Theme = 'dark' | 'light';

/** What the user chose: a theme, or the system's (the default). */
export type ThemeChoice = Theme | 'system';

/** Media query of a dark system colour scheme. */
export const SYSTEM_DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * The theme shown for a choice. `systemDark` is `null` when the system's scheme is unknown (no
 * `matchMedia`): dark then, the app's look before it followed the system.
 *
 * index.html repeats this rule in an inline script that runs before the first paint, so a saved
 * light theme never flashes dark (theme.test.ts checks the two agree).
 */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean | null): Theme {
  if (choice !== 'system') return choice;
  return systemDark === false ? 'light' : 'dark';
}

/** The theme module's slot: `"dark"`, `"light"` or `"system"` (nothing saved = `"system"`). */
export const THEME_SLOT: Slot<ThemeChoice> = {
  key: 'astra.theme.v1',
  what: 'the saved theme',
  read(data: unknown) {
    if (data !== 'dark' && data !== 'light' && data !== 'system') throw new Error(`unknown theme ${JSON.stringify(data)}`);
    return data;
  },
};
