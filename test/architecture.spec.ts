import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('the gateway-spi depends on nothing but node builtins', () => {
    const outside = importsOf(sources('libs/gateway-spi'), (s) => !s.startsWith('./') && !s.startsWith('node:'));
    expect(outside).toEqual([]);
  });

  it('adapters import only the gateway-spi among the project libs', () => {
    const files = sources('libs/adapters').filter((file) => !file.endsWith('catalog.ts'));
    expect(importsOf(files, (s) => /^#(orchestration|persistence|adapter-catalog)$/.test(s))).toEqual([]);
  });
});
