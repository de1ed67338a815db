import { booleanVar, integerVar } from '#env-config';
import { randomBytes } from 'node:crypto';
import { parseSecretsKey } from '../common/secret-box.js';

export interface GatewayConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  treeFile: string;
  adminToken: string;
  /** True when no CANOPY_ADMIN_TOKEN was given and one was generated (printed once at start-up). */
  adminTokenGenerated: boolean;
  /** Overall budget of one payment operation through the tree. */
  requestTimeoutMs: number;
  /** Pause between background reconciliation runs; absent or 0: off (POST /v1/ops/reconcile still runs it). */
  reconcileIntervalMs?: number;
  /** Pause between purges of expired idempotency keys; absent or 0: off. */
  keyPurgeIntervalMs?: number;
  webhooks: {
    /** Pause between dispatch rounds; 0 disables the background dispatcher. */
    intervalMs: number;
    /** How long a receiver has to answer one delivery. */
    timeoutMs: number;
    /** Deliver to loopback and private addresses too (development and tests); absent: false. */
    allowPrivateNetworks?: boolean;
    /** Seals endpoint secrets at rest (AES-256-GCM); absent: stored as they are. */
    secretsKey?: Buffer;
    /** During a key rotation: the key secrets were sealed with before; they are re-sealed at start. */
    previousSecretsKey?: Buffer;
  };
  /** Requests per window and per API key (ops: per admin token); 0 disables the limit. */
  rateLimit: { limit: number; opsLimit: number; windowMs: number };
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: LogLevelName;
  /** How long a shutdown waits for in-flight requests before closing anyway; absent: 15 s. */
  shutdownTimeoutMs?: number;
  /** NATS servers of `transport: nats` remote nodes that name none (NATS_URL). */
  natsUrl?: string;
  /** The base URL shoppers' browsers reach this gateway at (CANOPY_PUBLIC_URL); absent: http://HOST:PORT. */
  publicUrl?: string;
  /** How long a payment waits in `requires_action` for its shopper before it is given up; absent: 30 min. */
  actionTimeoutMs?: number;
  vault: {
    /** The key-encryption key (CANOPY_VAULT_KEY) that seals every card's data key; absent: the vault is unavailable. */
    key?: Buffer;
    /** During a rotation: the key-encryption key before, which still opens; data keys are re-sealed in the background. */
    previousKey?: Buffer;
    /** Pause between re-seal passes while `previousKey` is set (CANOPY_VAULT_RESEAL_INTERVAL_MS); absent: 60 s. */
    resealIntervalMs?: number;
    /** How long a card token (`tok_`) can be used (CANOPY_TOKEN_TTL_MS). */
    tokenTtlMs: number;
    /** Pause between purges of vault cards past their retention (CANOPY_VAULT_PURGE_INTERVAL_MS); absent or 0: off. */
    purgeIntervalMs?: number;
    /** True when `key` is the development key of the data directory (no CANOPY_VAULT_KEY, embedded database). */
    keyGenerated?: boolean;
  };
}

/** A payment in `requires_action` is given up after this long without its shopper (CANOPY_ACTION_TIMEOUT_MS). */
export const DEFAULT_ACTION_TIMEOUT_MS = 30 * 60_000;

/** Card tokens are single use and short-lived: 15 minutes unless CANOPY_TOKEN_TTL_MS says otherwise. */
export const DEFAULT_TOKEN_TTL_MS = 15 * 60_000;

/** The base URL of the gateway as shoppers' browsers see it: where providers send them back. */
export function publicBaseUrl(config: Pick<GatewayConfig, 'publicUrl' | 'host' | 'port'>): string {
  return (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {}

/** Reads and validates the environment; every problem names its variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: string[] = [];
  const port = integerVar(env, 'PORT', 3000, 0, 65535, problems);
  const requestTimeoutMs = integerVar(env, 'CANOPY_REQUEST_TIMEOUT_MS', 10_000, 100, 120_000, problems);
  const reconcileIntervalMs = integerVar(env, 'CANOPY_RECONCILE_INTERVAL_MS', 30_000, 0, 86_400_000, problems);
  const keyPurgeIntervalMs = integerVar(env, 'CANOPY_KEY_PURGE_INTERVAL_MS', 600_000, 0, 86_400_000, problems);
  const secretsKeys = keyPairVar(env, 'CANOPY_WEBHOOK_SECRETS_KEY', problems);
  const webhooks = {
    intervalMs: integerVar(env, 'CANOPY_WEBHOOK_INTERVAL_MS', 1_000, 0, 3_600_000, problems),
    timeoutMs: integerVar(env, 'CANOPY_WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000, problems),
    allowPrivateNetworks: booleanVar(env, 'CANOPY_WEBHOOK_ALLOW_PRIVATE_NETWORKS', problems),
    ...(secretsKeys.current && { secretsKey: secretsKeys.current }),
    ...(secretsKeys.previous && { previousSecretsKey: secretsKeys.previous }),
  };
  const vaultKeys = keyPairVar(env, 'CANOPY_VAULT_KEY', problems);
  const vault = {
    ...(vaultKeys.current && { key: vaultKeys.current }),
    ...(vaultKeys.previous && { previousKey: vaultKeys.previous }),
    tokenTtlMs: integerVar(env, 'CANOPY_TOKEN_TTL_MS', DEFAULT_TOKEN_TTL_MS, 1_000, 3_600_000, problems),
    purgeIntervalMs: integerVar(env, 'CANOPY_VAULT_PURGE_INTERVAL_MS', 600_000, 0, 86_400_000, problems),
    resealIntervalMs: integerVar(env, 'CANOPY_VAULT_RESEAL_INTERVAL_MS', 60_000, 1_000, 86_400_000, problems),
  };
  const rateLimit = {
    limit: integerVar(env, 'CANOPY_RATE_LIMIT', 100, 0, 1_000_000, problems),
    opsLimit: integerVar(env, 'CANOPY_OPS_RATE_LIMIT', 50, 0, 1_000_000, problems),
    windowMs: integerVar(env, 'CANOPY_RATE_LIMIT_WINDOW_MS', 1_000, 100, 3_600_000, problems),
  };
  const shutdownTimeoutMs = integerVar(env, 'CANOPY_SHUTDOWN_TIMEOUT_MS', 15_000, 0, 600_000, problems);
  const actionTimeoutMs = integerVar(env, 'CANOPY_ACTION_TIMEOUT_MS', DEFAULT_ACTION_TIMEOUT_MS, 10_000, 7 * 86_400_000, problems);
  const publicUrl = env.CANOPY_PUBLIC_URL?.trim() || undefined;
  if (publicUrl && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(publicUrl)) problems.push(`CANOPY_PUBLIC_URL must be an http(s) URL (got "${publicUrl}")`);
  const natsUrl = env.NATS_URL?.trim() || 'nats://127.0.0.1:4222';
  if (!/^(nats|tls|ws|wss):\/\/\S+$/.test(natsUrl)) problems.push(`NATS_URL must be a nats:// URL (got "${natsUrl}")`);
  const logLevel = (env.CANOPY_LOG_LEVEL?.trim() || 'info') as LogLevelName;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`CANOPY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgresql:// URL (unset it to use the embedded database)');
  }
  const givenToken = env.CANOPY_ADMIN_TOKEN?.trim();
  if (givenToken && givenToken.length < 16) {
    problems.push('CANOPY_ADMIN_TOKEN must be at least 16 characters');
  }
  if (databaseUrl && !givenToken) {
    // Several processes share one PostgreSQL: each would generate its own token.
    problems.push('CANOPY_ADMIN_TOKEN is required with DATABASE_URL (every gateway process must share one token)');
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl,
    dataDir: env.CANOPY_DATA_DIR?.trim() || '.data',
    treeFile: env.CANOPY_TREE?.trim() || 'config/tree.yaml',
    adminToken: givenToken || `adm_${randomBytes(24).toString('base64url')}`,
    adminTokenGenerated: !givenToken,
    requestTimeoutMs,
    reconcileIntervalMs,
    keyPurgeIntervalMs,
    webhooks,
    rateLimit,
    logLevel,
    shutdownTimeoutMs,
    natsUrl,
    actionTimeoutMs,
    vault,
    ...(publicUrl && { publicUrl }),
  };
}

/** A 32-byte key `<name>` and the one it rotates from, `<name>_PREVIOUS` (base64 both); a previous key needs a current one. */
function keyPairVar(env: NodeJS.ProcessEnv, name: string, problems: string[]): { current?: Buffer; previous?: Buffer } {
  const read = (variable: string): Buffer | undefined => {
    const raw = env[variable]?.trim();
    if (!raw) return undefined;
    const key = parseSecretsKey(raw);
    if (typeof key === 'string') problems.push(`${variable} ${key}`);
    return typeof key === 'string' ? undefined : key;
  };
  const current = read(name);
  const previous = read(`${name}_PREVIOUS`);
  if (previous && !env[name]?.trim()) problems.push(`${name}_PREVIOUS needs ${name} (the key it rotates to)`);
  return { current, previous };
}
