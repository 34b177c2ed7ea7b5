import { describe, expect, it } from 'vitest';
import { SYSTEM_CHROMIUM_PATHS, chooseBrowser } from './chromium.ts';

/** An `exists` that knows only `paths`. */
const only = (...paths: string[]) => (path: string) => paths.includes(path);

describe('chooseBrowser: which Chromium the browser tests use', () => {
  it('takes CHROMIUM_PATH first, even with a system browser present', () => {
    expect(chooseBrowser({ CHROMIUM_PATH: '/opt/chrome/chrome' }, only('/opt/chrome/chrome', '/usr/bin/chromium'))).toEqual({
      source: 'CHROMIUM_PATH',
      path: '/opt/chrome/chrome',
    });
  });

  it('fails on a CHROMIUM_PATH that does not exist instead of quietly using another browser', () => {
    expect(() => chooseBrowser({ CHROMIUM_PATH: '/nowhere/chrome' }, only('/usr/bin/chromium'))).toThrow(/CHROMIUM_PATH.*\/nowhere\/chrome/);
  });

  it('treats an empty CHROMIUM_PATH as unset', () => {
    expect(chooseBrowser({ CHROMIUM_PATH: '  ' }, only('/usr/bin/chromium'))).toEqual({ source: 'system', path: '/usr/bin/chromium' });
  });

  it('takes the system browsers in their order', () => {
    expect(SYSTEM_CHROMIUM_PATHS).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
    ]);
    expect(chooseBrowser({}, only(...SYSTEM_CHROMIUM_PATHS))).toEqual({ source: 'system', path: '/usr/bin/chromium' });
    expect(chooseBrowser({}, only('/usr/bin/google-chrome-stable', '/usr/bin/chromium-browser'))).toEqual({
      source: 'system',
      path: '/usr/bin/chromium-browser',
    });
    expect(chooseBrowser({}, only('/usr/bin/google-chrome-stable'))).toEqual({ source: 'system', path: '/usr/bin/google-chrome-stable' });
  });

  it('falls back to the npm package when nothing is on the system', () => {
    const asked: string[] = [];
    const choice = chooseBrowser({}, (path) => (asked.push(path), false));
    expect(choice).toEqual({ source: 'npm' });
    expect(asked).toEqual([...SYSTEM_CHROMIUM_PATHS]);
  });
});
