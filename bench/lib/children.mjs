// Servers under test run as child processes, so the load generator never shares their event loop.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { measuredRoot } from './dist.mjs';

/** A free loopback port (bound then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node [nodeArgs] script` and resolves when a stdout line matches `ready`.
 * `waitFor(pattern)` resolves with the first stdout line matching `pattern` printed after the call.
 * @returns {Promise<{child: import('node:child_process').ChildProcess, match: RegExpMatchArray, output: () => string, waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>, stop: () => Promise<void>}>}
 */
export function startChild({ name, script, nodeArgs = [], env, ready, timeoutMs = 60_000, stdin = 'ignore' }) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: measuredRoot(),
    env,
    stdio: [stdin, 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  const stop = () => stopChild(child);
  const watchers = new Set();
  const waitFor = (pattern, waitMs = 30_000) =>
    new Promise((resolve, reject) => {
      const watcher = (line) => {
        const match = pattern.exec(line);
        if (!match) return;
        clearTimeout(timer);
        watchers.delete(watcher);
        resolve(match);
      };
      const timer = setTimeout(() => {
        watchers.delete(watcher);
        reject(new Error(`${name}: no line matching ${pattern} within ${waitMs} ms`));
      }, waitMs);
      watchers.add(watcher);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    let pending = '';
    let settled = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', keep);
    child.stdout.on('data', (chunk) => {
      keep(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        for (const watcher of watchers) watcher(line);
        if (settled) continue;
        const match = ready.exec(line);
        if (match) {
          settled = true;
          clearTimeout(timer);
          resolve({ child, match, output: () => output, waitFor, stop });
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 10 s. */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
