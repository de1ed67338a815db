import { describe, expect, it } from 'vitest';
import { loadNodeHostConfig, NodeHostConfigError } from './node-host-config.js';

const problemsOf = (env: NodeJS.ProcessEnv): string => {
  try {
    loadNodeHostConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(NodeHostConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a NodeHostConfigError');
};

describe('loadNodeHostConfig', () => {
  it('serves TCP on HOST:PORT by default', () => {
    expect(loadNodeHostConfig({ CANOPY_TREE: 'sub.yaml' })).toEqual({ treeFile: 'sub.yaml', target: { transport: 'tcp', host: '127.0.0.1', port: 4100 }, drainTimeoutMs: 10_000 });
    expect(loadNodeHostConfig({ CANOPY_TREE: 'sub.yaml', HOST: '0.0.0.0', PORT: '0' }).target).toEqual({ transport: 'tcp', host: '0.0.0.0', port: 0 });
  });

  it('serves NATS on NATS_URL under CANOPY_SUBJECT, in a queue group', () => {
    expect(loadNodeHostConfig({ CANOPY_TREE: 'sub.yaml', CANOPY_TRANSPORT: 'nats', CANOPY_SUBJECT: 'canopy.eu' })).toEqual({
      treeFile: 'sub.yaml',
      target: { transport: 'nats', servers: ['nats://127.0.0.1:4222'], subject: 'canopy.eu' },
      drainTimeoutMs: 10_000,
    });
    const config = loadNodeHostConfig({ CANOPY_TREE: 't', CANOPY_TRANSPORT: 'nats', CANOPY_SUBJECT: 'canopy.eu', NATS_URL: 'nats://a:4222, nats://b:4222', CANOPY_QUEUE: 'eu-hosts' });
    expect(config).toMatchObject({ target: { servers: ['nats://a:4222', 'nats://b:4222'] }, queue: 'eu-hosts' });
  });

  it('names every bad variable', () => {
    expect(problemsOf({})).toContain('CANOPY_TREE is required');
    expect(problemsOf({ CANOPY_TREE: 't', CANOPY_TRANSPORT: 'udp' })).toContain('CANOPY_TRANSPORT must be tcp or nats (got "udp")');
    expect(problemsOf({ CANOPY_TREE: 't', PORT: '99999' })).toContain('PORT must be an integer between 0 and 65535 (got "99999")');
    const nats = problemsOf({ CANOPY_TREE: 't', CANOPY_TRANSPORT: 'nats', NATS_URL: 'http://x', CANOPY_DRAIN_TIMEOUT_MS: '-1' });
    expect(nats).toContain('NATS_URL must be a nats:// URL');
    expect(nats).toContain('CANOPY_SUBJECT is required with CANOPY_TRANSPORT=nats');
    expect(nats).toContain('CANOPY_DRAIN_TIMEOUT_MS must be an integer between 0 and 120000');
    expect(problemsOf({ CANOPY_TREE: 't', CANOPY_TRANSPORT: 'nats', CANOPY_SUBJECT: 'canopy.>' })).toContain('CANOPY_SUBJECT must be dot-separated tokens');
  });
});
