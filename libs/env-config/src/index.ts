/**
 * Reads an integer environment variable within [min, max]; unset or blank gives `fallback`. A bad
 * value is reported in `problems`, naming the variable, so a process can list every problem at once.
 */
export function integerVar(
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

/** Reads a boolean environment variable (`true`/`1` or `false`/`0`); unset or blank is false. */
export function booleanVar(env: NodeJS.ProcessEnv, name: string, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return false;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name} must be true or false (got "${env[name]?.trim()}")`);
  return false;
}
