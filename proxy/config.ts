/**
 * Reads and validates the proxy's environment variables. Kept apart from
 * server.ts so the rules are testable without starting a process.
 */
import {
  DEFAULT_ALLOWED_ORIGINS,
  DEFAULT_CACHE_MAX_BYTES,
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_HOST,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PORT,
  DEFAULT_RATE_LIMIT_MAX_CLIENTS,
  DEFAULT_RATE_LIMIT_PER_MIN,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
} from './constants.ts';
import type { ProxyOptions } from './create-server.ts';

/** Validated configuration: where to listen plus createServer options. */
export interface ProxyConfig {
  /** Interface to bind. */
  host: string;
  /** Port to bind (0 = ephemeral). */
  port: number;
  /** Options for createServer. */
  options: Required<
    Pick<
      ProxyOptions,
      | 'allowedOrigins'
      | 'cacheTtlMs'
      | 'cacheMaxEntries'
      | 'cacheMaxBytes'
      | 'rateLimitPerMin'
      | 'rateLimitMaxClients'
      | 'upstreamTimeoutMs'
      | 'maxResponseBytes'
      | 'maxInFlight'
    >
  >;
}

/** Thrown for an invalid environment; server.ts prints it and exits 2. */
export class ConfigError extends Error {
  /** @param message - what is wrong, naming the variable. */
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Every variable read, with its default (for docs and `--help`-style messages). */
export const ENV_VARS = {
  HOST: DEFAULT_HOST,
  PORT: DEFAULT_PORT,
  ALLOWED_ORIGINS: DEFAULT_ALLOWED_ORIGINS.join(','),
  CACHE_TTL_MS: DEFAULT_CACHE_TTL_MS,
  CACHE_MAX_ENTRIES: DEFAULT_CACHE_MAX_ENTRIES,
  CACHE_MAX_BYTES: DEFAULT_CACHE_MAX_BYTES,
  RATE_LIMIT_PER_MIN: DEFAULT_RATE_LIMIT_PER_MIN,
  RATE_LIMIT_MAX_CLIENTS: DEFAULT_RATE_LIMIT_MAX_CLIENTS,
  UPSTREAM_TIMEOUT_MS: DEFAULT_UPSTREAM_TIMEOUT_MS,
  MAX_RESPONSE_BYTES: DEFAULT_MAX_RESPONSE_BYTES,
  MAX_IN_FLIGHT: DEFAULT_MAX_IN_FLIGHT,
} as const;

function int(env: Record<string, string | undefined>, name: keyof typeof ENV_VARS, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const v = Number(raw);
  if (v < min || v > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}

/** Exact `scheme://host[:port]` as browsers send in `Origin` (no path, no trailing slash). */
const ORIGIN_RE = /^https?:\/\/[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Parses `env` into a {@link ProxyConfig}; throws {@link ConfigError} naming the bad variable. */
export function parseEnv(env: Record<string, string | undefined>): ProxyConfig {
  const host = env.HOST || DEFAULT_HOST;
  if (!/^[A-Za-z0-9.\-:]+$/.test(host)) throw new ConfigError(`HOST must be a hostname or IP address, got "${host}"`);
  let allowedOrigins: readonly string[] = DEFAULT_ALLOWED_ORIGINS;
  if (env.ALLOWED_ORIGINS !== undefined) {
    allowedOrigins = env.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const o of allowedOrigins) {
      // '*' is refused on purpose: CORS here is an allow-list, never a wildcard.
      if (!ORIGIN_RE.test(o)) throw new ConfigError(`ALLOWED_ORIGINS entry "${o}" is not an origin like http://localhost:5173`);
    }
  }
  return {
    host,
    port: int(env, 'PORT', DEFAULT_PORT, 0, 65535),
    options: {
      allowedOrigins,
      cacheTtlMs: int(env, 'CACHE_TTL_MS', DEFAULT_CACHE_TTL_MS, 0, 86_400_000),
      cacheMaxEntries: int(env, 'CACHE_MAX_ENTRIES', DEFAULT_CACHE_MAX_ENTRIES, 0, 1_000_000),
      cacheMaxBytes: int(env, 'CACHE_MAX_BYTES', DEFAULT_CACHE_MAX_BYTES, 0, 16 * 1024 ** 3),
      rateLimitPerMin: int(env, 'RATE_LIMIT_PER_MIN', DEFAULT_RATE_LIMIT_PER_MIN, 1, 1_000_000),
      rateLimitMaxClients: int(env, 'RATE_LIMIT_MAX_CLIENTS', DEFAULT_RATE_LIMIT_MAX_CLIENTS, 1, 10_000_000),
      upstreamTimeoutMs: int(env, 'UPSTREAM_TIMEOUT_MS', DEFAULT_UPSTREAM_TIMEOUT_MS, 100, 600_000),
      maxResponseBytes: int(env, 'MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1024, 512 * 1024 * 1024),
      maxInFlight: int(env, 'MAX_IN_FLIGHT', DEFAULT_MAX_IN_FLIGHT, 1, 64),
    },
  };
}
