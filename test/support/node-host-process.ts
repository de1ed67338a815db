// Starts apps/node-host as a real child process, from source (scripts/lib/register-ts.mjs: no build
// needed), so fault tests can SIGKILL it and benchmarks measure a real process boundary.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { RemoteTarget } from '#remote';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeHostProcess {
  child: ChildProcess;
  /** Where it serves (the port it bound when asked for port 0). */
  target: RemoteTarget;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<number | string>;
  /** Sends `signal` (default SIGTERM: a graceful stop) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface NodeHostProcessOptions {
  /** A tree config object; written to a temporary YAML file for CANOPY_TREE. */
  tree: unknown;
  transport: 'tcp' | 'nats';
  port?: number;
  natsUrl?: string;
  subject?: string;
  queue?: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export function writeTreeFile(tree: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'canopy-node-host-')), 'tree.yaml');
  writeFileSync(file, stringify(tree));
  return file;
}

export async function startNodeHostProcess(options: NodeHostProcessOptions): Promise<NodeHostProcess> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    CANOPY_TREE: writeTreeFile(options.tree),
    CANOPY_TRANSPORT: options.transport,
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    ...(options.natsUrl && { NATS_URL: options.natsUrl }),
    ...(options.subject && { CANOPY_SUBJECT: options.subject }),
    ...(options.queue && { CANOPY_QUEUE: options.queue }),
    ...options.env,
  };
  const child = spawn(process.execPath, ['--conditions=source', '--import', './scripts/lib/register-ts.mjs', 'apps/node-host/src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const target = await new Promise<RemoteTarget>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node-host did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 60_000);
    const onData = () => {
      const tcp = /listening on tcp (\S+):(\d+)/.exec(output);
      const nats = /listening on nats (\S+) (\S+)/.exec(output);
      if (!tcp && !nats) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(tcp ? { transport: 'tcp', host: tcp[1]!, port: Number(tcp[2]) } : { transport: 'nats', servers: nats![1]!.split(','), subject: nats![2]! });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node-host exited (${code}) before it served:\n${output}`));
    });
  });
  return {
    child,
    target,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
