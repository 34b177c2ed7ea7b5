/** How numbers are shown (the formatting standard's one user setting), persisted in its own slot. */
import { loadSlot, type Slot, type StorageWriter } from '../lib/storage.ts';
import { DEFAULT_CURRENCY, makeFormat, type Format, type NegativeStyle } from '../lib/format.ts';
import type { Notices } from './notices.svelte.ts';

/** The display module's slot: `{ negative: 'minus' | 'parentheses' }`. */
export const DISPLAY_SLOT: Slot<{ negative: NegativeStyle }> = {
  key: 'astra.display.v1',
  what: 'the display settings',
  read(data, warn) {
    const negative = (data as { negative?: unknown } | null)?.negative;
    if (negative === 'minus' || negative === 'parentheses') return { negative };
    warn(`negative style ${JSON.stringify(negative)} was replaced by a minus sign`);
    return { negative: 'minus' };
  },
};

export class DisplayState {
  /** How negative numbers are written. */
  negative = $state<NegativeStyle>('minus');
  /** The book's currency (one currency per book; no FX). */
  currency = $state(DEFAULT_CURRENCY);
  /** The formatters every panel uses, for the current style. */
  fmt: Format = $derived(makeFormat(this.negative));
  readonly #writer: StorageWriter;

  constructor(storage: Storage | undefined, writer: StorageWriter, notices: Notices) {
    const { value, notice } = loadSlot(storage, DISPLAY_SLOT);
    if (value) this.negative = value.negative;
    notices.add(notice);
    this.#writer = writer;
  }

  /** Write negatives as `style`. */
  setNegative(style: NegativeStyle): void {
    this.negative = style;
    this.#writer.write(DISPLAY_SLOT.key, { negative: style });
  }
}
