import { integerVar } from '#env-config';
import { SUBJECT_PATTERN, type RemoteTarget } from '#remote';

export interface NodeHostConfig {
  /** The subtree's tree file (its `root` is the subtree's top node). */
  treeFile: string;
  /** Where to serve it: TCP `HOST`:`PORT`, or NATS `NATS_URL` under `CANOPY_SUBJECT`. */
  target: RemoteTarget;
  /** NATS queue group shared by the node-hosts of one subject (default: the subject). */
  queue?: string;
  /** How long a graceful stop waits for requests in flight. */
  drainTimeoutMs: number;
}

export class NodeHostConfigError extends Error {}

/** Reads and validates the node-host's environment; every problem names its variable. */
export function loadNodeHostConfig(env: NodeJS.ProcessEnv = process.env): NodeHostConfig {
  const problems: string[] = [];
  const treeFile = env.CANOPY_TREE?.trim();
  if (!treeFile) problems.push('CANOPY_TREE is required: the tree file of the subtree to serve (its root is the subtree\'s top node)');
  const transport = env.CANOPY_TRANSPORT?.trim() || 'tcp';
  const drainTimeoutMs = integerVar(env, 'CANOPY_DRAIN_TIMEOUT_MS', 10_000, 0, 120_000, problems);
  let target: RemoteTarget | undefined;
  if (transport === 'tcp') {
    const port = integerVar(env, 'PORT', 4100, 0, 65535, problems);
    target = { transport: 'tcp', host: env.HOST?.trim() || '127.0.0.1', port };
  } else if (transport === 'nats') {
    const url = env.NATS_URL?.trim() || 'nats://127.0.0.1:4222';
    const servers = url.split(',').map((server) => server.trim());
    if (!servers.every((server) => /^(nats|tls|ws|wss):\/\/\S+$/.test(server))) problems.push(`NATS_URL must be a nats:// URL or a comma-separated list of them (got "${url}")`);
    const subject = env.CANOPY_SUBJECT?.trim();
    if (!subject) problems.push('CANOPY_SUBJECT is required with CANOPY_TRANSPORT=nats: the subject prefix the root\'s remote node names (e.g. canopy.eu)');
    else if (!SUBJECT_PATTERN.test(subject)) problems.push(`CANOPY_SUBJECT must be dot-separated tokens of letters, digits, _ or - (got "${subject}")`);
    target = { transport: 'nats', servers, subject: subject ?? '' };
  } else {
    problems.push(`CANOPY_TRANSPORT must be tcp or nats (got "${transport}")`);
  }
  const queue = env.CANOPY_QUEUE?.trim() || undefined;
  if (queue !== undefined && !SUBJECT_PATTERN.test(queue)) problems.push(`CANOPY_QUEUE must be a NATS queue group name (got "${queue}")`);
  if (problems.length > 0 || !target || !treeFile) throw new NodeHostConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return { treeFile, target, ...(queue !== undefined && { queue }), drainTimeoutMs };
}
