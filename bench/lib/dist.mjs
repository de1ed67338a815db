// The benchmark measures the BUILT code (dist/), as it runs in production: `npm run build` first
// (incremental, a few seconds), then the compiled modules are imported from dist/. `--root=<dir>`
// measures another checkout's build instead (e.g. a baseline copy), with this harness and floor.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const harnessRoot = fileURLToPath(new URL('../../', import.meta.url));
let root = harnessRoot;

/** The checkout whose dist/ is measured (default: the one this harness lives in). */
export function measuredRoot() {
  return root;
}

export function useRoot(dir) {
  root = path.resolve(dir) + path.sep;
}

export function distPath(relative) {
  return path.join(root, 'dist', relative);
}

/** Runs `npm run build` (unless `build` is false) and checks that the gateway entry point exists. */
export function ensureBuilt({ build }) {
  if (build) {
    const started = Date.now();
    const result = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status !== 0) {
      // tsc still emits JavaScript on type errors; measure it, but say so loudly.
      const errors = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /error TS\d+/.test(line));
      if (errors.length === 0) {
        process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
        throw new Error('`npm run build` failed: the benchmark measures the built code (rerun with --no-build to use dist/ as it is).');
      }
      console.warn(`WARNING: \`npm run build\` reported ${errors.length} type error(s) (${seconds} s); measuring the JavaScript it emitted. First: ${errors[0].trim()}`);
    } else {
      console.log(`built dist/ in ${seconds} s`);
    }
  }
  if (!existsSync(distPath('apps/gateway/src/main.js'))) {
    throw new Error(`${distPath('apps/gateway/src/main.js')} is missing: run \`npm run build\` (or drop --no-build).`);
  }
}

/** Imports a compiled module, e.g. `importDist('libs/orchestration/src/index.js')`. */
export function importDist(relative) {
  return import(pathToFileURL(distPath(relative)).href);
}

export const dist = {
  persistence: () => importDist('libs/persistence/src/index.js'),
  orchestration: () => importDist('libs/orchestration/src/index.js'),
  catalog: () => importDist('libs/adapters/catalog.js'),
  simulator: () => importDist('libs/adapters/simulator/src/index.js'),
  gatewaySpi: () => importDist('libs/gateway-spi/src/index.js'),
};
