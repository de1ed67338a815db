import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Production sources under `dir` (specs, test support and generated code are not the product). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['generated', 'test-support', 'node_modules'].includes(entry.name) ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function specifiers(text: string): string[] {
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

const isAdapter = (specifier: string) => specifier.startsWith('#adapters/') || /(^|\/)adapters(\/|$)/.test(specifier);
const isCatalog = (specifier: string) => specifier === '#adapter-catalog' || /adapters\/catalog(\.js)?$/.test(specifier);

function importsOf(files: string[], test: (specifier: string) => boolean): string[] {
  return files.flatMap((file) => specifiers(readFileSync(file, 'utf8')).filter(test).map((s) => `${file} imports ${s}`));
}

const CORE_LIBS = ['libs/gateway-spi', 'libs/orchestration', 'libs/persistence', 'libs/contract-kit', 'libs/remote'];
/** The composition roots: the only core files allowed to load the catalog. */
const COMPOSITION_ROOTS = ['apps/gateway/src/main.ts', 'apps/node-host/src/main.ts'];

const GATEWAY = 'apps/gateway/src';

/** The root's shared kernel and request plumbing: every feature may use them directly. */
const SHARED = ['common', 'config', 'errors', 'docs', 'logging', 'security'];

/** The root's features: its other folders with a Nest module of their own (`<feature>/<name>.module.ts`). */
function gatewayFeatures(): string[] {
  return readdirSync(GATEWAY, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !SHARED.includes(entry.name))
    .filter((entry) => readdirSync(join(GATEWAY, entry.name)).some((name) => name.endsWith('.module.ts')))
    .map((entry) => entry.name);
}

/** The project file a relative specifier of `file` names (`./x.js` → `…/x.ts`); undefined for packages. */
function resolveRelative(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts');
}

/** The feature a gateway file belongs to, if any. */
function featureOf(file: string, features: readonly string[]): string | undefined {
  const top = relative(GATEWAY, file).split(/[\\/]/)[0];
  return top !== undefined && features.includes(top) ? top : undefined;
}

/** Where SQL and Prisma calls may live: repositories and stores, and a feature's `persistence/` folder. */
const isPersistenceFile = (file: string) => /\.(repository|store)\.ts$/.test(file) || /[\\/]persistence[\\/]/.test(file);

/** What of `#persistence` only persistence code may use: the clients, tokens and statement builders. */
const DATABASE_ACCESS = ['PRISMA', 'SQL', 'DATABASE', 'InjectPrisma', 'Prisma', 'PrismaClient', 'SqlClient', 'prismaSqlClient', 'poolSqlClient', 'Transaction', 'part', 'step', 'writeParts', 'fusedStatement'];

/** Names a file imports from `#persistence` that give it database access. */
function databaseAccessOf(text: string): string[] {
  const imports = [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]#persistence['"]/g)];
  const names = imports.flatMap((match) => match[1]!.split(',').map((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!));
  const calls = [...text.matchAll(/\$(queryRaw|executeRaw|transaction)\b|\bprisma\.\w+\.(find|create|update|delete|count|aggregate|upsert)\w*\(/g)].map((m) => m[0]);
  return [...names.filter((name) => DATABASE_ACCESS.includes(name)), ...calls];
}

/** Feature → the features it imports. */
function featureGraph(features: readonly string[]): Map<string, Set<string>> {
  const graph = new Map(features.map((feature) => [feature, new Set<string>()]));
  for (const file of sources(GATEWAY)) {
    const from = featureOf(file, features);
    if (!from) continue;
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      const target = resolveRelative(file, specifier);
      const to = target && featureOf(target, features);
      if (to && to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** One cycle of `graph` as a path (`a → b → a`), or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('architecture', () => {
  it('the detectors catch what they look for', () => {
    expect(specifiers("import { x } from '#adapters/simulator';").filter(isAdapter)).toHaveLength(1);
    expect(specifiers("export * from '../../adapters/simulator/src/index.js';").filter(isAdapter)).toHaveLength(1);
    expect(specifiers("const c = await import('#adapter-catalog');").filter(isCatalog)).toHaveLength(1);
    expect(sources('apps/gateway').length).toBeGreaterThan(10);
  });

  it.each(CORE_LIBS)('%s imports no adapter and not the catalog', (lib) => {
    expect(importsOf(sources(lib), (s) => isAdapter(s) || isCatalog(s))).toEqual([]);
  });

  it('the root app imports no adapter; only its composition root loads the catalog', () => {
    const files = sources('apps/gateway');
    expect(importsOf(files, isAdapter)).toEqual([]);
    expect(importsOf(files.filter((f) => !COMPOSITION_ROOTS.includes(f)), isCatalog)).toEqual([]);
  });

  it('the node-host imports no adapter; only its composition root loads the catalog', () => {
    const files = sources('apps/node-host');
    expect(files).toContain('apps/node-host/src/main.ts');
    expect(importsOf(files, isAdapter)).toEqual([]);
    expect(importsOf(files.filter((f) => !COMPOSITION_ROOTS.includes(f)), isCatalog)).toEqual([]);
  });

  it('the orchestration stays transport-free: it imports neither the remote lib nor a transport', () => {
    const transport = (s: string) => s === '#remote' || s.startsWith('@nestjs/microservices') || s.startsWith('@nats-io/');
    expect(importsOf(sources('libs/orchestration'), transport)).toEqual([]);
  });

  it('the core never names a concrete adapter type', () => {
    const adapterTypes = readdirSync('libs/adapters', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(adapterTypes).toContain('simulator');
    const core = [...CORE_LIBS, 'apps/gateway', 'apps/node-host'].flatMap(sources);
    const mentions = core.flatMap((file) =>
      adapterTypes.filter((type) => new RegExp(`\\b${type}\\b`, 'i').test(readFileSync(file, 'utf8'))).map((t) => `${file} names ${t}`),
    );
    expect(mentions).toEqual([]);
  });

  it('routers and remote clients never read card data: they pass the request on and route on its display data', () => {
    const reads = /\bcard\.(number|cvc)\b|\bcvc\b/;
    expect(reads.test('request.paymentMethod.card.number')).toBe(true);
    const routing = [...sources('libs/orchestration'), ...sources('libs/remote/src/client')];
    expect(routing.length).toBeGreaterThan(10);
    expect(routing.filter((file) => reads.test(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('only the vault module reads the sealed card columns', () => {
    const sealed = /sealed_?(number|data_?key)/i;
    const outside = sources('apps/gateway').filter((file) => !file.startsWith('apps/gateway/src/vault/'));
    expect(outside.filter((file) => sealed.test(readFileSync(file, 'utf8')))).toEqual([]);
    expect(sources('apps/gateway/src/vault').some((file) => sealed.test(readFileSync(file, 'utf8')))).toBe(true);
  });

  it('the gateway-spi depends on nothing but node builtins', () => {
    const outside = importsOf(sources('libs/gateway-spi'), (s) => !s.startsWith('./') && !s.startsWith('node:'));
    expect(outside).toEqual([]);
  });

  it('adapters import only the gateway-spi among the project libs', () => {
    const files = sources('libs/adapters').filter((file) => !file.endsWith('catalog.ts'));
    expect(importsOf(files, (s) => /^#(orchestration|persistence|adapter-catalog)$/.test(s))).toEqual([]);
  });

  describe('the root gateway', () => {
    const features = gatewayFeatures();

    it('the detectors catch what they look for', () => {
      expect(features).toEqual(expect.arrayContaining(['payments', 'webhooks', 'idempotency', 'reconciliation', 'routing', 'ops', 'health', 'metrics']));
      expect(databaseAccessOf("import { PRISMA, type PrismaClient } from '#persistence';")).toEqual(['PRISMA', 'PrismaClient']);
      expect(databaseAccessOf("import type { Payment, UnitOfWork } from '#persistence';")).toEqual([]);
      expect(databaseAccessOf('await this.prisma.payment.findFirst({}); await tx.$queryRaw`SELECT 1`;')).toHaveLength(2);
      expect(isPersistenceFile('apps/gateway/src/payments/persistence/payment-writes.ts')).toBe(true);
      expect(isPersistenceFile('apps/gateway/src/payments/use-cases/create-payment.ts')).toBe(false);
      expect(resolveRelative('apps/gateway/src/payments/use-cases/x.ts', '../../webhooks/index.js')).toBe('apps/gateway/src/webhooks/index.ts');
      expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual(['a', 'b', 'a']);
      expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set<string>()]]))).toBeUndefined();
    });

    it('only repositories, stores and persistence folders touch the database (no controller, use case, guard or job)', () => {
      const offenders = sources(GATEWAY)
        .filter((file) => !isPersistenceFile(file))
        .flatMap((file) => databaseAccessOf(readFileSync(file, 'utf8')).map((what) => `${file} uses ${what}`));
      expect(offenders).toEqual([]);
    });

    it('one transaction model: only the unit-of-work runner opens a transaction', () => {
      const opening = [...sources(GATEWAY), ...sources('libs/persistence')].filter((file) => /\$transaction\s*\(/.test(readFileSync(file, 'utf8')));
      expect(opening).toEqual(['libs/persistence/src/unit-of-work.ts']);
    });

    it('use cases speak the domain: none imports the HTTP layer (Fastify, API errors, DTOs, presenters)', () => {
      const http = (specifier: string) => specifier === 'fastify' || specifier.startsWith('@nestjs/swagger') || /errors\/api-error|\/dto\/|\/http\/|presenter/.test(specifier);
      const useCases = sources(GATEWAY).filter((file) => /[\\/]use-cases[\\/]/.test(file));
      expect(useCases.length).toBeGreaterThan(4);
      expect(importsOf(useCases, http)).toEqual([]);
    });

    it('a feature reaches another only through its public file (index.ts)', () => {
      const internals = sources(GATEWAY).flatMap((file) =>
        specifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
          const target = resolveRelative(file, specifier);
          const feature = target && featureOf(target, features);
          if (!feature || featureOf(file, features) === feature) return [];
          return target === join(GATEWAY, feature, 'index.ts') ? [] : [`${file} imports ${specifier}`];
        }),
      );
      expect(internals).toEqual([]);
      for (const feature of features) expect(existsSync(join(GATEWAY, feature, 'index.ts')), `${feature}/index.ts`).toBe(true);
    });

    it('payments never import webhooks (webhooks reach payments through its outbox port), and features import no cycle', () => {
      const graph = featureGraph(features);
      expect(graph.get('webhooks')).toContain('payments');
      expect([...graph.get('payments')!]).not.toContain('webhooks');
      expect(findCycle(graph)).toBeUndefined();
    });
  });
});
