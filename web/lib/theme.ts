/** The colour theme and its storage slot. */
import type { Slot } from './storage.ts';

/** Colour theme. */
export type Theme = 'dark' | 'light';

/** The theme module's slot: `"dark"` or `"light"`. */
export const THEME_SLOT: Slot<Theme> = {
  key: 'astra.theme.v1',
  what: 'the saved theme',
  read(data: unknown) {
    if (data !== 'dark' && data !== 'light') throw new Error(`unknown theme ${JSON.stringify(data)}`);
    return data;
  },
};
