#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (from `node --cpu-prof` or the bench's profiler hook): top functions
// and top modules by self time. `node bench/profile-summary.mjs <file.cpuprofile> [top]`.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** Where a script belongs: an npm package, a node internal, a file of this repository, or V8's own. */
export function moduleOf(url) {
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const repo = /\/(dist\/)?(apps|libs|bench)\/(.+)$/.exec(url);
  if (repo) return `${repo[2]}/${repo[3].replace(/\/src\/.*$/, '').replace(/\/[^/]+$/, '')}`;
  return url.replace(/^file:\/\//, '');
}

export async function summarizeProfile(file, top = 15, { keepAll = false } = {}) {
  const profile = JSON.parse(await readFile(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Samples taken inside the bench's profiler hook (starting/stopping the profiler) are not the app's.
  const own = new Set();
  const markOwn = (node, inside) => {
    const mine = inside || node.callFrame.url.endsWith('profile-hook.mjs');
    if (mine) own.add(node.id);
    for (const child of node.children ?? []) markOwn(byId.get(child), mine);
  };
  markOwn(profile.nodes[0], false);
  const selfUs = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => {
    if (!own.has(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  });
  // The module a sample is charged to when native, node-internal and WebAssembly frames count for
  // their caller (a socket write issued by pg is pg's cost, Prisma's query compiler (wasm) is
  // Prisma's, PGlite's wasm is PGlite's).
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const ownerCache = new Map();
  const ownerOf = (id) => {
    if (ownerCache.has(id)) return ownerCache.get(id);
    const { functionName, url } = byId.get(id).callFrame;
    const mod = moduleOf(url);
    let owner;
    if (['(idle)', '(program)', '(garbage collector)'].includes(functionName)) owner = functionName;
    else if (mod !== '(native/vm)' && mod !== 'node internals' && !mod.startsWith('wasm://')) owner = mod;
    else owner = parentOf.has(id) ? ownerOf(parentOf.get(id)) : mod;
    ownerCache.set(id, owner);
    return owner;
  };
  let total = 0;
  const fns = new Map();
  const mods = new Map();
  const owners = new Map();
  for (const [id, us] of selfUs) {
    const owner = ownerOf(id);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    const special = ['(idle)', '(program)', '(garbage collector)'].includes(functionName);
    const mod = special ? functionName : moduleOf(url);
    const fn = special ? functionName : `${functionName || '(anonymous)'} ${mod === '(native/vm)' ? '' : `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    mods.set(mod, (mods.get(mod) ?? 0) + us);
  }
  const busy = total - (mods.get('(idle)') ?? 0);
  const rank = (map) =>
    [...map]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, self_ms: Math.round(us / 100) / 10, share_of_busy: Math.round((us / busy) * 1000) / 10 }));
  return {
    file,
    sampled_ms: Math.round(total / 1000),
    busy_ms: Math.round(busy / 1000),
    idle_share: Math.round(((mods.get('(idle)') ?? 0) / total) * 1000) / 10,
    top_modules: rank(mods),
    top_functions: rank(fns),
    top_modules_with_native_calls: rank(owners),
    ...(keepAll && {
      all_owner_modules: [...owners].filter(([name]) => name !== '(idle)').map(([name, us]) => ({ name, share_of_busy: (us / busy) * 100 })),
    }),
  };
}

export function printSummary(summary, print = console.log) {
  print(`  profile ${summary.file}: ${summary.busy_ms} ms busy of ${summary.sampled_ms} ms sampled (${summary.idle_share} % idle)`);
  print('  top modules by self time (% of busy):');
  for (const m of summary.top_modules) print(`    ${String(m.share_of_busy).padStart(5)} %  ${m.name}`);
  print('  top modules, native calls charged to their caller (% of busy):');
  for (const m of summary.top_modules_with_native_calls) print(`    ${String(m.share_of_busy).padStart(5)} %  ${m.name}`);
  print('  top functions by self time (% of busy):');
  for (const f of summary.top_functions) print(`    ${String(f.share_of_busy).padStart(5)} %  ${f.name}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
    process.exit(2);
  }
  printSummary(await summarizeProfile(file, Number(top ?? 15)));
}
