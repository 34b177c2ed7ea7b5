/** The colour theme, persisted in its own storage slot. */
import { loadSlot, type StorageWriter } from '../lib/storage.ts';
import { THEME_SLOT, type Theme } from '../lib/theme.ts';
import type { Notices } from './notices.svelte.ts';

export class ThemeState {
  /** Current theme (dark unless the user chose light). */
  theme = $state<Theme>('dark');
  readonly #writer: StorageWriter;

  constructor(storage: Storage | undefined, writer: StorageWriter, notices: Notices) {
    const { value, notice } = loadSlot(storage, THEME_SLOT);
    if (value) this.theme = value;
    notices.add(notice);
    this.#writer = writer;
  }

  /** Switch between dark and light. */
  toggle(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    this.#writer.write(THEME_SLOT.key, this.theme);
  }
}
