import { readdirSync } from 'node:fs';
import { adapterCatalog } from '#adapter-catalog';
import { buildTree, loadTreeFile } from '#orchestration';
import { remoteNodeType } from '#remote';
import { afterEach, describe, expect, it, vi } from 'vitest';

const EXAMPLES = new URL('../config/', import.meta.url);
const nodeTypes = [remoteNodeType({ natsServers: ['nats://127.0.0.1:4222'] })];
const files = ['tree.yaml', ...readdirSync(new URL('examples/', EXAMPLES)).filter((file) => file.endsWith('.yaml')).map((file) => `examples/${file}`)];

/** Every variable a leaf's options name (`*_env`), so the example builds as it would with credentials set. */
function namedVariables(node: { options?: Record<string, unknown>; children?: unknown[] }): string[] {
  const own = Object.entries(node.options ?? {}).filter(([key]) => key.endsWith('_env')).map(([, value]) => String(value));
  return [...own, ...(node.children ?? []).flatMap((child) => namedVariables(child as typeof node))];
}

describe('the tree configs shipped in config/', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each(files)('%s builds with the catalog, once the variables it names are set', async (file) => {
    const config = loadTreeFile(new URL(file, EXAMPLES).pathname) as { root: Parameters<typeof namedVariables>[0] };
    for (const variable of namedVariables(config.root)) vi.stubEnv(variable, `example-value-of-${variable}`);
    const tree = buildTree(config, adapterCatalog, { nodeTypes });
    expect(tree.nodes.size).toBeGreaterThan(0);
    await Promise.all([...tree.nodes.values()].map((node) => node.close?.()));
  });

  it('providers.yaml fails to build with one line naming the leaf and the variable when a secret is absent', () => {
    const config = loadTreeFile(new URL('examples/providers.yaml', EXAMPLES).pathname) as { root: Parameters<typeof namedVariables>[0] };
    for (const variable of namedVariables(config.root)) vi.stubEnv(variable, 'set');
    vi.stubEnv('ADYEN_API_KEY', '');
    expect(() => buildTree(config, adapterCatalog, { nodeTypes })).toThrow(/adyen-eu.*ADYEN_API_KEY/);
  });
});
