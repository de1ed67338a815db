#!/usr/bin/env node
// `npm run adapter:new -- <type>`: creates libs/adapters/<type>/ (src/ and fake/) from scripts/templates/adapter/ and
// adds the type's import and catalog entry to libs/adapters/catalog.ts. Nothing else changes: the
// contract suite enrols the new type by construction and fails on it until it is implemented.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE_DIR = fileURLToPath(new URL('./templates/adapter/', import.meta.url));
const RESERVED = ['router', 'remote', 'catalog'];
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

class UsageError extends Error {}

const pascal = (type) => type.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
const camel = (type) => pascal(type)[0].toLowerCase() + pascal(type).slice(1);

/** Non-spec TypeScript sources of the core: the architecture test forbids them to name an adapter type. */
function coreSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['adapters', 'generated', 'test-support', 'node_modules'].includes(entry.name) ? [] : coreSources(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [file] : [];
  });
}

function checkType(root, type) {
  if (!type) throw new UsageError('Usage: npm run adapter:new -- <type>   (kebab-case, e.g. acme-pay)');
  if (!KEBAB.test(type)) throw new UsageError(`"${type}" is not a kebab-case type name (lower-case letters and digits, words joined by "-", starting with a letter)`);
  if (RESERVED.includes(type)) throw new UsageError(`"${type}" is reserved (${RESERVED.join(', ')})`);
  if (existsSync(path.join(root, 'libs/adapters', type))) throw new UsageError(`libs/adapters/${type} already exists`);
  const word = new RegExp(`\\b${type}\\b`, 'i');
  const named = ['libs', 'apps'].flatMap((dir) => coreSources(path.join(root, dir))).find((file) => word.test(readFileSync(file, 'utf8')));
  if (named) throw new UsageError(`"${type}" already occurs as a word in ${path.relative(root, named)}: the core must not name adapter types (test/architecture.spec.ts), so choose a more specific name`);
}

function render(text, names) {
  return text.replaceAll('__type__', names.type).replaceAll('__Name__', names.Name).replaceAll('__name__', names.name).replaceAll('__ENV__', names.ENV);
}

/** Every template file, relative to the template folder, except its README. */
function templates(dir = TEMPLATE_DIR) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return templates(file);
    return entry.name.endsWith('.tpl') ? [path.relative(TEMPLATE_DIR, file)] : [];
  });
}

/** The catalog with one import after the last adapter import and one entry at the end of the list. */
function addToCatalog(catalog, names) {
  const lines = catalog.split('\n');
  const importLine = `import { ${names.name}Adapter } from '#adapters/${names.type}';`;
  const lastImport = lines.findLastIndex((line) => line.startsWith('import '));
  const listStart = lines.findIndex((line) => line.startsWith('export const adapterCatalog'));
  const listEnd = lines.findIndex((line, i) => i > listStart && line.trim() === '];');
  if (lastImport < 0 || listStart < 0 || listEnd < 0) throw new Error('libs/adapters/catalog.ts does not have the expected shape (imports, then `export const adapterCatalog ... = [`, one entry per line, `];`)');
  lines.splice(listEnd, 0, `  ${names.name}Adapter,`);
  lines.splice(lastImport + 1, 0, importLine);
  return lines.join('\n');
}

function generate(root, type) {
  checkType(root, type);
  const names = { type, Name: pascal(type), name: camel(type), ENV: type.replaceAll('-', '_').toUpperCase() };
  const catalogFile = path.join(root, 'libs/adapters/catalog.ts');
  const catalog = addToCatalog(readFileSync(catalogFile, 'utf8'), names);
  const target = path.join(root, 'libs/adapters', type);
  const written = templates().map((template) => {
    const file = path.join(target, render(template, names).replace(/\.tpl$/, ''));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, render(readFileSync(path.join(TEMPLATE_DIR, template), 'utf8'), names));
    return path.relative(root, file);
  });
  writeFileSync(catalogFile, catalog);
  return { names, written };
}

try {
  const type = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
  const root = process.cwd();
  const { names, written } = generate(root, type);
  const folder = `libs/adapters/${type}`;
  console.log(`Created ${folder}/ (${written.length} files) and added ${names.name}Adapter to libs/adapters/catalog.ts (its import and its entry):`);
  for (const file of written.sort()) console.log(`  ${file}`);
  console.log(`
Next steps:
  1. npm run test:contract   "adapter ${type} (fake)" fails: its failing checks are your to-do list.
  2. Wrap the provider's official SDK in ${folder}/src/${type}.client.ts (the calls the node makes;
     the node gets it injected, so its tests need no network).
  3. Implement ${folder}/src/${type}.node.ts operation by operation (TODO comments): attemptId /
     operationId as idempotency keys, ctx.signal as deadline; the pure mapping (SDK params, answers
     and errors into outcomes) in ${type}.mapping.ts, the provider's codes in ${type}.codes.ts.
  4. Make ${folder}/fake/${type}.fake.ts speak the provider's wire format (checked against its
     published API description), and fill ${folder}/src/contract/${type}.contract-fixture.ts: the
     fake's and the sandbox's test cards, and any operations declared unsupported.
  5. Until npm run test:contract and npm test pass. Then use it in the tree config:
     {id: my-${type}, type: ${type}, options: {...}}`);
} catch (error) {
  console.error(`adapter:new: ${error.message}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
