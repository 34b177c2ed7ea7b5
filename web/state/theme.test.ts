import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { ThemeState, type SchemeQuery } from './theme.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { StorageWriter } from '../lib/storage.ts';

function memoryStorage(items: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(items));
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

/** A system colour-scheme query the test can flip. */
function scheme(dark: boolean): SchemeQuery & { set(dark: boolean): void } {
  const listeners: ((e: { matches: boolean }) => void)[] = [];
  return {
    matches: dark,
    addEventListener: (_type, listener) => void listeners.push(listener),
    set(d) {
      this.matches = d;
      for (const l of listeners) l({ matches: d });
    },
  };
}

function make(saved: Record<string, string>, system: SchemeQuery | undefined) {
  const storage = memoryStorage(saved);
  const writer = new StorageWriter(storage, () => {});
  return { storage, writer, theme: new ThemeState(storage, writer, new Notices(), system) };
}

describe('ThemeState', () => {
  it('follows the system scheme by default, live', () => {
    const system = scheme(false);
    const { theme } = make({}, system);
    expect(theme.choice).toBe('system');
    expect(theme.theme).toBe('light');
    system.set(true);
    flushSync();
    expect(theme.theme).toBe('dark');
  });

  it('keeps a saved choice over the system’s, and goes back to the system on request', () => {
    const system = scheme(true);
    const { theme, writer, storage } = make({ 'astra.theme.v1': '"light"' }, system);
    expect(theme.theme).toBe('light');
    theme.toggle();
    expect(theme.theme).toBe('dark');
    theme.useSystem();
    system.set(false);
    flushSync();
    expect(theme.theme).toBe('light');
    writer.flush();
    expect(storage.getItem('astra.theme.v1')).toBe('"system"');
  });

  it('toggles to the other theme of the one on screen and saves it', () => {
    const { theme, writer, storage } = make({}, scheme(true));
    theme.toggle();
    expect(theme.choice).toBe('light');
    writer.flush();
    expect(storage.getItem('astra.theme.v1')).toBe('"light"');
  });

  it('is dark when the system scheme is unknown', () => {
    expect(make({}, undefined).theme.theme).toBe('dark');
  });
});
