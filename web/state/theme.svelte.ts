/**
 * The colour theme, persisted in its own storage slot. The default is the system's colour scheme,
 * followed live; choosing light or dark overrides it until "use system" is chosen again.
 */
import { loadSlot, type StorageWriter } from '../lib/storage.ts';
import { SYSTEM_DARK_QUERY, THEME_SLOT, resolveTheme, type Theme, type ThemeChoice } from '../lib/theme.ts';
import type { Notices } from './notices.svelte.ts';

/** The part of a `MediaQueryList` the theme listens to. */
export interface SchemeQuery {
  matches: boolean;
  addEventListener(type: 'change', listener: (event: { matches: boolean }) => void): void;
}

function systemQuery(): SchemeQuery | undefined {
  try {
    return globalThis.matchMedia?.(SYSTEM_DARK_QUERY);
  } catch {
    return undefined;
  }
}

export class ThemeState {
  /** What the user chose; `system` unless they picked light or dark. */
  choice = $state<ThemeChoice>('system');
  /** Whether the system's scheme is dark, `null` when unknown. */
  #systemDark = $state<boolean | null>(null);
  /** The theme on screen. */
  theme: Theme = $derived(resolveTheme(this.choice, this.#systemDark));
  readonly #writer: StorageWriter;

  /** @param scheme the system's dark-scheme query (default: `matchMedia`), `undefined` when unknown */
  constructor(storage: Storage | undefined, writer: StorageWriter, notices: Notices, scheme: SchemeQuery | undefined = systemQuery()) {
    const { value, notice } = loadSlot(storage, THEME_SLOT);
    if (value) this.choice = value;
    notices.add(notice);
    this.#writer = writer;
    if (scheme) {
      this.#systemDark = scheme.matches;
      scheme.addEventListener('change', (event) => (this.#systemDark = event.matches));
    }
  }

  /** Switch to the other theme of the one on screen (an explicit choice, kept across reloads). */
  toggle(): void {
    this.#choose(this.theme === 'dark' ? 'light' : 'dark');
  }

  /** Follow the system's colour scheme again. */
  useSystem(): void {
    this.#choose('system');
  }

  #choose(choice: ThemeChoice): void {
    this.choice = choice;
    this.#writer.write(THEME_SLOT.key, choice);
  }
}
