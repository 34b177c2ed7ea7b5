/** File access for commands: user-facing errors name the option and the path (exit code 2). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AstraError, Messages } from '../engine/errors.ts';

function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** Read the UTF-8 text of `path` (relative to `cwd`) given as option `option`, e.g. `--book`. */
export async function readTextFile(option: string, path: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (e) {
    throw new AstraError('BAD_INPUT', Messages.cannotRead(option, path, reason(e)), { option, path });
  }
}

/** Create directory `dir` (relative to `cwd`) if needed and write `files` into it; returns absolute paths. */
export async function writeFiles(dir: string, cwd: string, files: Record<string, string>): Promise<string[]> {
  const root = resolve(cwd, dir);
  try {
    await mkdir(root, { recursive: true });
  } catch (e) {
    throw new AstraError('BAD_INPUT', Messages.cannotWrite(root, reason(e)), { path: root });
  }
  const paths: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = resolve(root, name);
    try {
      await writeFile(path, text, 'utf8');
    } catch (e) {
      throw new AstraError('BAD_INPUT', Messages.cannotWrite(path, reason(e)), { path });
    }
    paths.push(path);
  }
  return paths;
}
