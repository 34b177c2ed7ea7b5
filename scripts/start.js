#!/usr/bin/env node
/**
 * `npm start`: build what is missing or stale, then serve the app and the market-data proxy.
 *
 * 1. `build/astra.wasm` missing or older than `assembly/` → `npm run build:wasm`.
 * 2. `dist/` missing or older than its sources (web/, engine/, the wasm, vite config, lockfile) →
 *    `vite build` through vite's JS API.
 * 3. Serve `dist/` with vite's preview server (COOP/COEP headers from vite.config.ts) on 127.0.0.1,
 *    port $PORT (exactly) or 4173 (or the next free one), and print the URL.
 * 4. Start the Yahoo Finance proxy in this same process (so it stops with it) on 127.0.0.1,
 *    port $PROXY_PORT (exactly) or 8787 (or the next free one), with the app's origin allowed by
 *    CORS; serve its URL to the app as `astra-config.json` beside index.html; print it, and
 *    whether Yahoo answered a first probe. The logic is `proxy/local.ts` (tested there).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { build, preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (p) => join(root, p);
const configFile = at('vite.config.ts');

/** Newest modification time (ms) under `paths` (files or directories; tests and dotfiles ignored). */
function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const s = statSync(path);
    if (s.isDirectory()) {
      for (const name of readdirSync(path)) {
        if (name.startsWith('.') || name === 'node_modules' || /\.test\.ts$/.test(name)) continue;
        visit(join(path, name));
      }
    } else {
      newest = Math.max(newest, s.mtimeMs);
    }
  };
  paths.forEach(visit);
  return newest;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : -Infinity);

function buildWasmIfNeeded() {
  const wasm = at('build/astra.wasm');
  if (mtime(wasm) >= newestMtime([at('assembly'), at('asconfig.json')])) return;
  console.log(existsSync(wasm) ? 'astra: kernels changed, rebuilding build/astra.wasm…' : 'astra: building build/astra.wasm…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build:wasm'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error('astra: `npm run build:wasm` failed');
    process.exit(r.status ?? 1);
  }
}

async function buildAppIfNeeded() {
  const built = mtime(at('dist/index.html'));
  const sources = newestMtime([
    at('web'),
    at('engine'),
    at('build/astra.wasm'),
    configFile,
    at('package.json'),
    at('package-lock.json'),
  ]);
  if (built >= sources) return;
  console.log(built === -Infinity ? 'astra: building the app into dist/…' : 'astra: sources changed, rebuilding dist/…');
  await build({ configFile, logLevel: 'warn' });
}

async function main() {
  buildWasmIfNeeded();
  await buildAppIfNeeded();
  const fixed = process.env.PORT !== undefined && process.env.PORT !== '';
  const port = fixed ? Number(process.env.PORT) : 4173;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`astra: PORT must be an integer from 0 to 65535, got ${process.env.PORT}`);
    process.exit(1);
  }
  // The proxy is TypeScript: load it through tsx, scoped to this import.
  const local = await tsImport('../proxy/local.ts', import.meta.url);
  /** @type {{ proxyUrl: string } | null} */
  let appConfig = null;
  const server = await preview({
    configFile,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: fixed, open: false },
    plugins: [local.appConfigPlugin(() => appConfig)],
  });
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
  let proxy = null;
  try {
    proxy = await local.startLocalProxy({
      appOrigins: local.loopbackOrigins(url),
      log: (line) => console.error(`proxy: ${line}`),
    });
  } catch (e) {
    if (e instanceof local.ConfigError) {
      console.error(`astra: ${e.message}`);
      await server.close();
      process.exit(2);
    }
    // The app still works without it (demo, snapshot, CSV): say why live data is missing.
    console.error(`astra: the market-data proxy did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  console.log(`astra: serving dist/ at ${url}  (Ctrl+C to stop)`);
  if (proxy) {
    appConfig = { proxyUrl: proxy.url };
    console.log(`astra: market-data proxy at ${proxy.url}  (the app reads it from ${url}${local.APP_CONFIG_FILE})`);
    proxy.probe.then((state) => {
      const health = `${proxy.url}/api/health`;
      if (state === 'ok') console.log(`astra: Yahoo Finance answered; live data is available (${health})`);
      else console.log(`astra: Yahoo Finance is not reachable from this machine; the proxy keeps running and the app offers the demo (${health})`);
    });
  }
  const stop = () => {
    Promise.all([server.close(), proxy?.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`astra: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
