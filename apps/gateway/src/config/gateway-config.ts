import { randomBytes } from 'node:crypto';

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
}

export class ConfigError extends Error {}

/** Reads and validates the environment; every problem names its variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: string[] = [];
  const port = integerVar(env, 'PORT', 3000, 0, 65535, problems);
  const requestTimeoutMs = integerVar(env, 'CANOPY_REQUEST_TIMEOUT_MS', 10_000, 100, 120_000, problems);
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
  };
}

function integerVar(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}
