/** Helpers for the CLI tests: run `main` in-process with captured streams, or the real binary. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
