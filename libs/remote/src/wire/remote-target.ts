/** Where a remote subtree is served: a node-host on TCP, or node-hosts sharing a NATS subject. */
export type RemoteTarget = TcpTarget | NatsTarget;

export interface TcpTarget {
  transport: 'tcp';
  host: string;
  port: number;
}

export interface NatsTarget {
  transport: 'nats';
  servers: string[];
  /** Subject prefix: operations go to `<subject>.<operation>`. */
  subject: string;
}

export const REMOTE_TRANSPORTS = ['tcp', 'nats'] as const;

/** On TCP one node-host owns the port, so patterns need no distinguishing prefix. */
export const TCP_PATTERN_PREFIX = 'canopy';

/** The prefix of every message pattern the target's node-host answers. */
export function patternPrefixOf(target: RemoteTarget): string {
  return target.transport === 'nats' ? target.subject : TCP_PATTERN_PREFIX;
}

/** A human form of the target, for logs, messages and the ops tree view. */
export function describeTarget(target: RemoteTarget): string {
  return target.transport === 'tcp' ? `${target.host}:${target.port}` : `${target.servers.join(',')} ${target.subject}`;
}

/** NATS subjects: dot-separated tokens without wildcards or whitespace. */
export const SUBJECT_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
