import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = resolve('scripts/adapter-new.mjs');

/** A repository skeleton with the real catalog: what the generator reads and edits. */
function skeleton(): string {
  const root = mkdtempSync(join(tmpdir(), 'adapter-new-'));
  mkdirSync(join(root, 'libs/adapters/simulator'), { recursive: true });
  cpSync('libs/adapters/catalog.ts', join(root, 'libs/adapters/catalog.ts'));
  mkdirSync(join(root, 'libs/orchestration/src'), { recursive: true });
  writeFileSync(join(root, 'libs/orchestration/src/router.node.ts'), '/** Routes a payment to a child node. */\n');
  return root;
}

const run = (root: string, ...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: root, encoding: 'utf8' });

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));

describe('npm run adapter:new', () => {
  let root: string;
  beforeEach(() => {
    root = skeleton();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates the folder from the template and adds exactly the import and the entry to the catalog', () => {
    const before = readFileSync(join(root, 'libs/adapters/catalog.ts'), 'utf8');
    const result = run(root, 'acme-probe');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npm run test:contract');
    expect(files(join(root, 'libs/adapters/acme-probe')).sort()).toEqual([
      'fake/acme-probe.fake.ts',
      'src/acme-probe.adapter.ts',
      'src/acme-probe.client.ts',
      'src/acme-probe.codes.ts',
      'src/acme-probe.mapping.spec.ts',
      'src/acme-probe.mapping.ts',
      'src/acme-probe.node.ts',
      'src/acme-probe.options.spec.ts',
      'src/acme-probe.options.ts',
      'src/contract/acme-probe.contract-fixture.ts',
      'src/index.ts',
    ]);
    const after = readFileSync(join(root, 'libs/adapters/catalog.ts'), 'utf8');
    const added = after.split('\n').filter((line) => !before.split('\n').includes(line));
    expect(added).toEqual(["import { acmeProbeAdapter } from '#adapters/acme-probe';", '  acmeProbeAdapter,']);
    expect(after.indexOf("import { acmeProbeAdapter }")).toBeLessThan(after.indexOf('export const adapterCatalog'));
    const node = readFileSync(join(root, 'libs/adapters/acme-probe/src/acme-probe.node.ts'), 'utf8');
    expect(node).toContain('export class AcmeProbeNode implements GatewayNode');
    expect(node).not.toMatch(/__(type|name|Name|ENV)__/);
    expect(readFileSync(join(root, 'libs/adapters/acme-probe/src/contract/acme-probe.contract-fixture.ts'), 'utf8')).toContain("api_key_env: 'ACME_PROBE_SANDBOX_API_KEY'");
  });

  it.each([
    [[], /^adapter:new: Usage: npm run adapter:new -- <type>/],
    [['AcmePay'], /"AcmePay" is not a kebab-case type name/],
    [['acme--pay'], /"acme--pay" is not a kebab-case type name/],
    [['1pay'], /"1pay" is not a kebab-case type name/],
    [['router'], /"router" is reserved/],
    [['remote'], /"remote" is reserved/],
    [['simulator'], /libs\/adapters\/simulator already exists/],
    [['child'], /"child" already occurs as a word in libs\/orchestration\/src\/router\.node\.ts/],
  ])('refuses %j, changing nothing', (args, message) => {
    const before = readFileSync(join(root, 'libs/adapters/catalog.ts'), 'utf8');
    const result = run(root, ...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(readFileSync(join(root, 'libs/adapters/catalog.ts'), 'utf8')).toBe(before);
    expect(readdirSync(join(root, 'libs/adapters')).sort()).toEqual(['catalog.ts', 'simulator']);
  });

  it('the template is complete: every placeholder it uses is one the generator fills', () => {
    const template = resolve('scripts/templates/adapter');
    const used = files(template).flatMap((file) => [...`${file}\n${readFileSync(join(template, file), 'utf8')}`.matchAll(/__([A-Za-z]+)__/g)].map((m) => m[1]));
    expect(new Set(used)).toEqual(new Set(['type', 'Name', 'name', 'ENV']));
    expect(existsSync(join(template, 'README.md'))).toBe(true);
  });
});
