// The embedded database off the event loop: PGlite in a worker thread, serving its one session as
// the PostgreSQL wire protocol on a unix socket in an owner-only temp folder, so that the main
// thread reaches it with the same pg pool, adapter and SqlClient as PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** The port in the socket's name (`<dir>/.s.PGSQL.<port>`, as pg looks it up); nothing listens on TCP. */
export const EMBEDDED_SOCKET_PORT = 5432;

export interface PGliteWorker {
  /** The folder holding the socket: pg's `host`. */
  socketDir: string;
  /** Set once the worker stopped without being asked to: what new connections fail with. */
  failure(): Error | undefined;
  /** A `net.Socket` for pg's `stream` option, refusing to connect once the worker is gone. */
  stream(): net.Socket;
  /** Closes PGlite (flushing it to disk) and ends the worker. Idempotent. */
  close(): Promise<void>;
  /** The thread, for tests that crash it. */
  thread: Worker;
}

/**
 * Runs in the worker (plain CommonJS, evaluated from this string, so that it works from the
 * TypeScript sources and from dist alike). One client connection is served at a time: PGlite is
 * one session, so a second connection waits until the first closes, and the session is then
 * reset (open transaction rolled back, prepared statements and advisory locks released) before
 * the next one starts. Complete messages received together go to PGlite in one call.
 */
const WORKER_SOURCE = String.raw`
const { workerData, parentPort } = require('node:worker_threads');
const net = require('node:net');
const fs = require('node:fs');
const { PGlite } = require(workerData.pglitePath);
const SSL_REQUEST = 80877103, CANCEL_REQUEST = 80877102, PROTOCOL_3 = 196608;

async function main() {
  fs.mkdirSync(workerData.dataDir, { recursive: true });
  const db = new PGlite(workerData.dataDir);
  await db.waitReady;
  const waiting = [];
  let busy = false;
  const next = () => {
    if (busy || waiting.length === 0) return;
    busy = true;
    serve(waiting.shift()).finally(() => { busy = false; next(); });
  };
  const server = net.createServer((socket) => { socket.pause(); waiting.push(socket); next(); });

  async function reset() {
    // A Sync ends an extended-protocol exchange the client left half done.
    await db.execProtocolRaw(new Uint8Array([83, 0, 0, 0, 4]));
    if (db.isInTransaction()) await db.exec('ROLLBACK');
    await db.exec('DEALLOCATE ALL; SELECT pg_advisory_unlock_all()');
  }

  function serve(socket) {
    return new Promise((resolve) => {
      let buffer = Buffer.alloc(0);
      let started = false;
      let chain = Promise.resolve();
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        chain = chain.then(reset, reset).catch(() => {}).then(resolve);
      };
      const run = (message) => db.runExclusive(() => db.execProtocolRawStream(message, {
        onRawData: (data) => { if (!socket.destroyed) socket.write(Buffer.from(data)); },
      }));
      socket.setNoDelay(true);
      socket.on('error', () => {});
      socket.on('close', finish);
      socket.on('data', (data) => {
        buffer = buffer.length === 0 ? data : Buffer.concat([buffer, data]);
        const batch = [];
        let terminate = false;
        while (buffer.length >= 5 || (!started && buffer.length >= 8)) {
          if (!started) {
            const length = buffer.readInt32BE(0);
            if (buffer.length < length) break;
            const code = buffer.readInt32BE(4);
            const message = buffer.subarray(0, length);
            buffer = buffer.subarray(length);
            if (code === SSL_REQUEST) { socket.write('N'); continue; }
            if (code === CANCEL_REQUEST) continue;
            if (code !== PROTOCOL_3) { socket.destroy(); return; }
            started = true;
            chain = chain.then(() => run(new Uint8Array(message)));
            continue;
          }
          const length = 1 + buffer.readInt32BE(1);
          if (buffer.length < length) break;
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (message[0] === 88) { terminate = true; break; }
          batch.push(message);
        }
        if (batch.length > 0) {
          const bytes = new Uint8Array(Buffer.concat(batch));
          chain = chain.then(() => run(bytes));
        }
        chain = chain.catch((error) => { socket.destroy(error); });
        if (terminate) chain = chain.then(() => socket.end());
      });
      socket.resume();
    });
  }

  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(workerData.socketPath, resolve); });
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    server.close();
    for (const socket of waiting.splice(0)) socket.destroy();
    await db.close();
    parentPort.postMessage('closed');
  });
  parentPort.postMessage('ready');
}
main().catch((error) => { parentPort.postMessage({ error: error && error.stack ? error.stack : String(error) }); });
`;

/** Starts the worker on the PGlite folder `dataDir` (created if missing) and waits until it listens. */
export async function startPGliteWorker(dataDir: string): Promise<PGliteWorker> {
  const socketDir = await mkdtemp(path.join(tmpdir(), 'canopy-pglite-'));
  const socketPath = path.join(socketDir, `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`);
  const pglitePath = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { dataDir: path.resolve(dataDir), socketPath, pglitePath } });
  let failure: Error | undefined;
  let closing: Promise<void> | undefined;
  const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
  const stop = (error: Error): void => {
    failure ??= error;
  };
  thread.on('error', (error) => stop(new Error(`the embedded database (PGlite worker) crashed: ${error.message}`, { cause: error })));
  void exited.then((code) => {
    if (!closing) stop(new Error(`the embedded database (PGlite worker) stopped unexpectedly (exit code ${code})`));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      thread.on('message', (message: unknown) => {
        if (message === 'ready') resolve();
        else if (message && typeof message === 'object' && 'error' in message) reject(new Error(`the embedded database could not open ${dataDir}: ${String(message.error)}`));
      });
      void exited.then(() => reject(failure ?? new Error('the embedded database (PGlite worker) exited before it was ready')));
    });
  } catch (error) {
    await thread.terminate();
    await rm(socketDir, { recursive: true, force: true });
    throw error;
  }
  return {
    socketDir,
    thread,
    failure: () => failure,
    stream() {
      const socket = new net.Socket();
      const connect = socket.connect.bind(socket) as (...args: unknown[]) => net.Socket;
      // pg connects the stream itself: a dead worker answers with why, instead of ENOENT.
      (socket as unknown as { connect: (...args: unknown[]) => net.Socket }).connect = (...args) => {
        const reason = failure;
        if (!reason) return connect(...args);
        process.nextTick(() => socket.destroy(reason));
        return socket;
      };
      return socket;
    },
    close() {
      closing ??= (async () => {
        if (!failure) {
          const closed = new Promise<void>((resolve) => {
            thread.on('message', (message: unknown) => message === 'closed' && resolve());
            void exited.then(() => resolve());
          });
          thread.postMessage('close');
          await closed;
        }
        await thread.terminate();
        await rm(socketDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
