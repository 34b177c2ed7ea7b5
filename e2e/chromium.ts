/**
 * Which Chromium the browser tests drive, and how to get it running on this machine.
 *
 * Order: `CHROMIUM_PATH` if set; else a system Chromium/Chrome; else the headless Chromium shipped
 * inside the `@sparticuz/chromium` dev dependency, extracted once per version and user into
 * `$TMPDIR/astra-chromium-<version>-<uid>/` (about 200 MB, a second or two). No browser is ever
 * downloaded: the npm package is the only source besides what is already on the machine.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';

/** Where distributions put Chromium or Chrome, tried in this order when `CHROMIUM_PATH` is unset. */
export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
] as const;

/** The npm package whose tarball carries a Chromium (a devDependency). */
export const NPM_CHROMIUM = '@sparticuz/chromium';

/** Where the browser comes from: an explicit path, one found on the system, or the npm package. */
export type BrowserChoice = { source: 'CHROMIUM_PATH' | 'system'; path: string } | { source: 'npm' };

/**
 * The resolution order, without touching the filesystem: `env.CHROMIUM_PATH` if set (it must exist:
 * a wrong explicit path is an error, not a reason to quietly use another browser); else the first
 * of {@link SYSTEM_CHROMIUM_PATHS} that `exists`; else the npm package.
 */
export function chooseBrowser(
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean,
): BrowserChoice {
  const explicit = env.CHROMIUM_PATH?.trim();
  if (explicit) {
    if (!exists(explicit)) {
      throw new Error(
        `CHROMIUM_PATH is set to ${explicit}, which does not exist: fix it, or unset it to use a system or the npm Chromium`,
      );
    }
    return { source: 'CHROMIUM_PATH', path: explicit };
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((path) => exists(path));
  return system ? { source: 'system', path: system } : { source: 'npm' };
}

/** A browser ready to launch. */
export interface FoundChromium {
  path: string;
  /** Where it came from, for the log line. */
  origin: string;
  /** Extra environment the browser process needs (empty for a system browser). */
  env: Record<string, string>;
}

let found: Promise<FoundChromium> | undefined;

/** Resolve (and for the npm package, extract and check) the browser; once per process. */
export function findChromium(): Promise<FoundChromium> {
  found ??= resolve();
  return found;
}

async function resolve(): Promise<FoundChromium> {
  const choice = chooseBrowser(process.env, existsSync);
  if (choice.source === 'CHROMIUM_PATH') return { path: choice.path, origin: 'from CHROMIUM_PATH', env: {} };
  if (choice.source === 'system') return { path: choice.path, origin: 'system browser', env: {} };
  return npmChromium();
}

/** The package's directory, or a failure that says what was looked for and how to fix it. */
function npmPackageDir(): string {
  try {
    // build/cjs/index.cjs → the package root (its exports map does not expose package.json).
    return join(dirname(createRequire(import.meta.url).resolve(NPM_CHROMIUM)), '..', '..');
  } catch {
    throw new Error(
      `No Chromium for the browser tests: CHROMIUM_PATH is unset, none of ${SYSTEM_CHROMIUM_PATHS.join(', ')} exists, ` +
        `and the ${NPM_CHROMIUM} dev dependency is not installed (run \`npm ci\` without --omit=dev). ` +
        'The browser tests fail rather than skip so a missing browser is never mistaken for a pass.',
    );
  }
}

async function npmChromium(): Promise<FoundChromium> {
  const pkgDir = npmPackageDir();
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const dir = join(tmpdir(), `astra-chromium-${version}-${process.getuid?.() ?? 0}`);
  const exe = join(dir, 'chromium');
  let origin = `${NPM_CHROMIUM} ${version}, extracted earlier`;
  if (!existsSync(exe)) {
    const t0 = performance.now();
    await extract(pkgDir, dir);
    origin = `${NPM_CHROMIUM} ${version}, extracted in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  }

  const env: Record<string, string> = {};
  // Its fontconfig is built in; with no system configuration it gets the fonts the package ships.
  if (!existsSync('/etc/fonts/fonts.conf')) env.FONTCONFIG_PATH = join(dir, 'fonts');
  let probe = await probeVersion(exe, env);
  if (!probe.ok && probe.missingLibrary) {
    // The binary links only glibc plus NSS/NSPR/expat; the package ships those (built for Amazon
    // Linux 2023), which serve when the machine lacks them.
    env.LD_LIBRARY_PATH = [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    origin += `, NSS/expat from its own libraries in ${env.LD_LIBRARY_PATH}`;
    probe = await probeVersion(exe, env);
  }
  if (!probe.ok) throw new Error(`${exe} (from ${NPM_CHROMIUM} ${version}) does not run here:\n${probe.output}`);
  return { path: exe, origin, env };
}

/**
 * Unpack the package's browser, fonts, SwiftShader and libraries into `dir`. Everything goes into a
 * fresh staging directory first and is renamed into place whole, so a run that was killed half-way,
 * or two checkouts testing at once, never launch a truncated binary.
 */
async function extract(pkgDir: string, dir: string): Promise<void> {
  // Staging directories of runs killed mid-extraction (a fresh one takes seconds; 200 MB each).
  const parent = dirname(dir);
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    const path = join(parent, name);
    if (name.startsWith(`${basename(dir)}.partial-`) && Date.now() - statSync(path).mtimeMs > 10 * 60_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
  // `dir` only ever appears by the rename below, whole; one without its binary was damaged since.
  if (existsSync(dir) && !existsSync(join(dir, 'chromium'))) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.partial-`);
  try {
    const { default: Chromium } = await import('@sparticuz/chromium');
    // The package inflates into os.tmpdir(), which reads TMPDIR on every call.
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    let exe: string;
    try {
      exe = await Chromium.executablePath(join(pkgDir, 'bin'));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    if (exe !== join(staging, 'chromium')) throw new Error(`${NPM_CHROMIUM} put its browser at ${exe}, not in ${staging}`);

    mkdirSync(join(staging, 'al2023'));
    await untarBrotli(join(pkgDir, 'bin', 'al2023.tar.br'), join(staging, 'al2023'));
    // The shipped fonts.conf names /tmp/fonts; point it at where the fonts really are.
    writeFileSync(
      join(staging, 'fonts', 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <dir>${join(dir, 'fonts', 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );

    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(join(dir, 'chromium'))) throw error; // otherwise another run finished first: use its copy
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Extract a brotli-compressed tarball with the system's tar, from a file: fed through a pipe, tar
 * stops reading at the end-of-archive blocks and the writer fails on the closed pipe.
 */
async function untarBrotli(file: string, into: string): Promise<void> {
  const tarball = join(into, basename(file, '.br'));
  writeFileSync(tarball, await promisify(brotliDecompress)(readFileSync(file)));
  try {
    await promisify(execFile)('tar', ['-x', '-f', tarball, '-C', into]);
  } finally {
    rmSync(tarball, { force: true });
  }
}

type Probe = { ok: true } | { ok: false; missingLibrary: boolean; output: string };

/** Run `exe --version`: does it start at all here (shared libraries found)? */
function probeVersion(exe: string, env: Record<string, string>): Promise<Probe> {
  return new Promise((done) => {
    execFile(exe, ['--version'], { env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (!error) return done({ ok: true });
      const output = `${error.message}\n${stdout}${stderr}`.trim();
      done({ ok: false, missingLibrary: /error while loading shared libraries/.test(output), output });
    });
  });
}
