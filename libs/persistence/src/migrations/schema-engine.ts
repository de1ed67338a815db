// Prisma's schema engine (the one behind `prisma migrate`), compiled to WebAssembly and driven
// through a driver adapter, so migrations need neither the native binary nor a download.
// The package is built for bundlers (`import * as wasm from "./x.wasm"`), which Node cannot load:
// we instantiate the .wasm ourselves against the package's JS glue.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { openPGlite } from '../pglite.js';

export type { SchemaEngine, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';

type Glue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

let glue: Promise<Glue> | undefined;

/** Loads and starts the WASM module once per process. */
export function loadSchemaEngineWasm(): Promise<Glue> {
  glue ??= (async () => {
    const specifier = '@prisma/schema-engine-wasm/schema_engine_bg';
    const module: Glue = await import(specifier);
    const wasmPath = createRequire(import.meta.url).resolve(specifier).replace(/\.js$/, '.wasm');
    const compiled = await WebAssembly.compile(await readFile(wasmPath));
    const imports: WebAssembly.ModuleImports = { ...(module as unknown as WebAssembly.ModuleImports) };
    for (const key of Object.keys(imports)) {
      if (key.startsWith('__wbg_setTimeout_')) imports[key] = engineSetTimeout;
    }
    const instance = await WebAssembly.instantiate(compiled, { './schema_engine_bg.js': imports });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start(): void };
    module.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return module;
  })();
  glue.catch(() => (glue = undefined));
  return glue;
}

// The engine arms timeouts (e.g. 10 s around connecting) and never clears them: a finished
// `npm run db:migrate` would then wait 10 s to exit. Its timers keep the process alive only while
// a session is open.
const engineTimers = new Set<NodeJS.Timeout>();
let openSessions = 0;

function engineSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  if (openSessions === 0) timer.unref();
  return timer;
}

function sessionOpened(): void {
  if (openSessions++ === 0) for (const timer of engineTimers) timer.ref();
}

function sessionClosed(): void {
  if (--openSessions === 0) for (const timer of engineTimers) timer.unref();
}

export type EngineLog = (line: { level: string; message: string; fields: Record<string, unknown> }) => void;

export interface EngineSession {
  engine: SchemaEngine;
  /** Frees the engine and disposes every connection it opened (shadow databases included). */
  close(): Promise<void>;
}

/**
 * Opens a schema engine over a driver adapter factory. `datamodel` is only needed by commands that
 * read the schema (none of the ones used here do: diff takes its inputs as parameters).
 */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { datamodel?: { path: string; content: string }; log?: EngineLog } = {},
): Promise<EngineSession> {
  const { SchemaEngine } = await loadSchemaEngineWasm();
  const tracked = trackConnections(factory);
  const onLog = (raw: string) => {
    if (!options.log) return;
    try {
      const parsed = JSON.parse(raw) as { level?: string; fields?: Record<string, unknown> };
      const fields = parsed.fields ?? {};
      options.log({ level: parsed.level ?? 'INFO', message: String(fields.message ?? ''), fields });
    } catch {
      options.log({ level: 'INFO', message: raw, fields: {} });
    }
  };
  const datamodels: [string, string][] | undefined = options.datamodel
    ? [[options.datamodel.path, options.datamodel.content]]
    : undefined;
  let engine: SchemaEngine;
  sessionOpened();
  try {
    engine = await SchemaEngine.new({ datamodels }, onLog, bindMigrationAwareSqlAdapterFactory(tracked.factory));
  } catch (error) {
    await tracked.disposeAll();
    sessionClosed();
    throw asError(error);
  }
  let closed = false;
  return {
    engine,
    async close() {
      if (closed) return;
      closed = true;
      try {
        engine.free();
        await tracked.disposeAll();
      } finally {
        sessionClosed();
      }
    },
  };
}

/** The engine rejects with plain objects at times; make them Errors with a readable message. */
export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (error && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    return Object.assign(new Error(typeof message === 'string' ? message : JSON.stringify(error)), { cause: error });
  }
  return new Error(String(error));
}

/**
 * Wraps a factory so that every adapter the engine opens can be disposed when we are done (the
 * engine does not always dispose them, and an open pg pool keeps a database busy and the process
 * alive). Also fixes two defects of pglite-prisma-adapter 0.7 for migrations: its executeScript
 * does not await the script (errors become unhandled rejections and a failed migration would be
 * recorded as applied), and its shadow database is a PGlite that is never closed.
 */
function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const disposers: (() => Promise<void>)[] = [];
  const isPglite = factory.adapterName.includes('pglite');
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    if (!isPglite) return adapter;
    const client = (adapter as unknown as { client: { exec(sql: string): Promise<unknown>; close?(): Promise<void> } })
      .client;
    const onError = (adapter as unknown as { onError?: (e: unknown) => never }).onError?.bind(adapter);
    return new Proxy(adapter, {
      get(target, key, receiver) {
        if (key === 'executeScript') {
          return async (script: string) => {
            try {
              await client.exec(script);
            } catch (error) {
              if (onError) onError(error);
              throw error;
            }
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      disposers.push(() => adapter.dispose());
      return wrap(adapter);
    },
    async connectToShadowDb() {
      if (isPglite) {
        const { PrismaPGlite } = await import('pglite-prisma-adapter');
        const shadow = await openPGlite('memory://');
        disposers.push(() => shadow.close());
        return wrap((await new PrismaPGlite(shadow).connect()) as SqlDriverAdapter);
      }
      const adapter = await factory.connectToShadowDb();
      disposers.push(() => adapter.dispose());
      return adapter;
    },
  };
  return {
    factory: wrapped,
    async disposeAll() {
      await Promise.allSettled(disposers.splice(0).map((dispose) => dispose()));
    },
  };
}
