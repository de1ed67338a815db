// The NATS broker the remote-subtree suites use: NATS_URL, default nats://127.0.0.1:4222 (started by
// .ci/run on CI machines). When it is unreachable the NATS cases are skipped with a warning, except
// under REQUIRE_SERVICES=1, where a missing broker is an error, so CI cannot pass on TCP alone.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export const DEFAULT_TEST_NATS_URL = 'nats://127.0.0.1:4222';

let probe: Promise<string | undefined> | undefined;

/** The error message if the broker's port does not accept a connection, else undefined. Checked once per process. */
function checkNats(url: string): Promise<string | undefined> {
  probe ??= new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port || 4222), timeout: 1500 });
    const done = (problem?: string) => {
      socket.destroy();
      resolve(problem);
    };
    socket.once('connect', () => done());
    socket.once('timeout', () => done('connection timed out'));
    socket.once('error', (error) => done(error.message || 'connection failed'));
  });
  return probe;
}

export function testNatsUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.NATS_URL || DEFAULT_TEST_NATS_URL;
}

/** True when the broker is reachable. */
export async function natsAvailable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return (await checkNats(testNatsUrl(env))) === undefined;
}

/**
 * The broker's URL when it is reachable; otherwise undefined (callers skip their NATS cases), or an
 * error under REQUIRE_SERVICES=1.
 */
export async function requireNats(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const url = testNatsUrl(env);
  const problem = await checkNats(url);
  if (!problem) return url;
  const message = `NATS at ${url} is unreachable (${problem})`;
  if (env.REQUIRE_SERVICES === '1') throw new Error(`${message}, and REQUIRE_SERVICES=1.`);
  warnOnce(`${message}: skipping the NATS cases.`);
  return undefined;
}

/** A subject prefix no other test run uses, so parallel suites and runs never answer each other. */
export function uniqueSubject(name = 'test'): string {
  return `canopy.t${Date.now().toString(36)}${randomBytes(3).toString('hex')}.${name}`;
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(message);
}
