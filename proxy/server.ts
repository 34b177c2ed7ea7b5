/**
 * `npm run proxy`: reads the environment (see config.ts / docs/proxy.md),
 * starts the proxy and prints its URL. Exits 2 on an invalid environment.
 */
import { ConfigError, parseEnv } from './config.ts';
import { createServer } from './create-server.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = parseEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`proxy: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const proxy = createServer({ ...config.options, log: (line) => process.stderr.write(`proxy: ${line}\n`) });
  const url = await proxy.listen(config.port, config.host);
  process.stdout.write(`ASTRA market-data proxy listening on ${url}\n`);
  const stop = () => {
    void proxy.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  // Startup failures only (e.g. port in use); no request data can be in here.
  process.stderr.write(`proxy: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
