/** File access for commands: user-facing errors name the option and the path (exit code 2). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AstraError, escapeUnprintable, Messages } from '../engine/errors.ts';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in the path',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ERR_INVALID_ARG_VALUE: 'the path contains a NUL character',
  ERR_STRING_TOO_LONG: 'the file is too large to read as text (over 512 MB)',
  ERR_FS_FILE_TOO_LARGE: 'the file is too large to read (over 2 GB)',
};

/**
 * Why a file operation failed, in words. Node's own messages repeat the path raw (escape codes
 * and all), so they are used only for codes not listed, on one line and cut.
 */
function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code !== undefined && Object.hasOwn(REASONS, code)) return REASONS[code];
  if (code !== undefined) return `error ${escapeUnprintable(code.slice(0, 40))}`;
  return escapeUnprintable((e instanceof Error ? e.message : String(e)).slice(0, 200));
}

/** An empty path would resolve to the working directory itself: refuse it by name. */
function checkPath(option: string, path: string): void {
  if (path.trim() === '') throw new AstraError('BAD_INPUT', Messages.emptyPath(option), { option });
}

/** Read the UTF-8 text of `path` (relative to `cwd`) given as option `option`, e.g. `--book`. */
export async function readTextFile(option: string, path: string, cwd: string): Promise<string> {
  checkPath(option, path);
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (e) {
    throw new AstraError('BAD_INPUT', Messages.cannotRead(option, path, reason(e)), { option, path });
  }
}

/**
 * Create directory `dir` (relative to `cwd`, given as option `option`) if needed and write
 * `files` into it; returns absolute paths.
 */
export async function writeFiles(dir: string, cwd: string, files: Record<string, string>, option = '--out'): Promise<string[]> {
  checkPath(option, dir);
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
