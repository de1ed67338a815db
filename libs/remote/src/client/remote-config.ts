import { REMOTE_TRANSPORTS, SUBJECT_PATTERN, type RemoteTarget } from '../wire/remote-target.js';

const TCP_OPTIONS = ['host', 'port'];
const NATS_OPTIONS = ['servers', 'subject'];
const NATS_URL = /^(nats|tls|ws|wss):\/\/\S+$/;

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface RemoteConfigDefaults {
  /** NATS servers of a `transport: nats` remote that names none (the composition root's NATS_URL). */
  natsServers?: readonly string[];
}

/**
 * Reads a remote node's config (`{transport: tcp|nats, options: {host, port} | {servers, subject}}`).
 * Problems name the field, e.g. `options.port must be …`; `target` is null when there are any.
 */
export function parseRemoteConfig(config: Readonly<Record<string, unknown>>, defaults: RemoteConfigDefaults = {}): { target: RemoteTarget | null; problems: string[] } {
  const problems: string[] = [];
  const { transport } = config;
  const options = config.options ?? {};
  if (transport === undefined) problems.push(`transport is required (one of ${REMOTE_TRANSPORTS.join(', ')})`);
  else if (!(REMOTE_TRANSPORTS as readonly unknown[]).includes(transport)) problems.push(`transport must be one of ${REMOTE_TRANSPORTS.join(', ')} (got ${JSON.stringify(transport)})`);
  if (!isMapping(options)) {
    problems.push('options must be a mapping');
    return { target: null, problems };
  }
  if (transport === 'tcp') {
    unknownKeys(options, TCP_OPTIONS, problems);
    const host = options.host;
    const port = options.port;
    if (host === undefined) problems.push('options.host is required (the node-host address, e.g. 127.0.0.1)');
    else if (typeof host !== 'string' || !/^\S+$/.test(host)) problems.push(`options.host must be a host name or address (got ${JSON.stringify(host)})`);
    if (port === undefined) problems.push('options.port is required');
    else if (!(typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535)) problems.push(`options.port must be an integer from 1 to 65535 (got ${JSON.stringify(port)})`);
    if (problems.length > 0) return { target: null, problems };
    return { target: { transport: 'tcp', host: host as string, port: port as number }, problems };
  }
  if (transport === 'nats') {
    unknownKeys(options, NATS_OPTIONS, problems);
    const servers = natsServers(options.servers, defaults.natsServers, problems);
    const subject = options.subject;
    if (subject === undefined) problems.push('options.subject is required (the subject prefix the node-hosts serve, e.g. canopy.eu)');
    else if (typeof subject !== 'string' || !SUBJECT_PATTERN.test(subject)) problems.push(`options.subject must be dot-separated tokens of letters, digits, _ or - (got ${JSON.stringify(subject)})`);
    if (problems.length > 0 || !servers) return { target: null, problems };
    return { target: { transport: 'nats', servers, subject: subject as string }, problems };
  }
  return { target: null, problems };
}

function natsServers(raw: unknown, fallback: readonly string[] | undefined, problems: string[]): string[] | null {
  if (raw === undefined) {
    if (fallback && fallback.length > 0) return [...fallback];
    problems.push('options.servers is required (NATS URLs, e.g. nats://127.0.0.1:4222)');
    return null;
  }
  const list = typeof raw === 'string' ? [raw] : raw;
  if (Array.isArray(list) && list.length > 0 && list.every((url) => typeof url === 'string' && NATS_URL.test(url))) return list as string[];
  problems.push(`options.servers must be a NATS URL or a non-empty list of them, e.g. nats://127.0.0.1:4222 (got ${JSON.stringify(raw)})`);
  return null;
}

function unknownKeys(options: Record<string, unknown>, allowed: string[], problems: string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) problems.push(`options.${key} is not a known field (allowed: ${allowed.join(', ')})`);
  }
}
