/** Helpers for the CLI tests: run `main` in-process with captured streams, or the real binary. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { main } from './main.ts';

/** What a CLI run produced. */
export interface Run {
  /** Exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/** Repository root (where `bin/astra.js` lives). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Run the CLI in this process (fast) with relative paths resolved against `cwd`. */
export async function runInProcess(argv: string[], cwd = ROOT): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd });
  return { code, stdout, stderr };
}

/** Run `node bin/astra.js …` as a child process, as a user would. */
export function runBinary(argv: string[], cwd = ROOT): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/astra.js'), ...argv], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Run `tsx cli/main.ts …` (what `npm run astra` does): main.ts must run itself as the entry point. */
export function runTsxEntry(argv: string[], cwd = ROOT): Run {
  const tsx = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
  const r = spawnSync(process.execPath, [tsx, join(ROOT, 'cli/main.ts'), ...argv], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'astra-cli-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A temporary directory for one test file, removed after it, and a writer of files into it:
 * `const { file } = tempFiles(); file('book.csv', text)` → the file's absolute path.
 */
export function tempFiles(): { dir: string; file: (name: string, text: string) => string } {
  const tmp = tempDir();
  afterAll(() => tmp.remove());
  return {
    dir: tmp.dir,
    file(name, text) {
      const path = join(tmp.dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** A bad-input run: exit 2, nothing on stdout, `astra: …` on stderr containing every fragment. */
export function expectBadInput(r: Run, ...fragments: string[]): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('astra: ')).toBe(true);
  for (const f of fragments) expect(r.stderr).toContain(f);
}
