// Measurements other parts of the project own, one function each. Both are standalone scripts that
// run from TypeScript sources (`node --conditions=source`, the condition cannot be switched on in
// this process), so they run as child processes and their results are read back:
//   fanout: bench/fanout.mjs (issue 5, `npm run bench:fanout`) → parsed from its printed summary
//   remote: bench/remote-hop.mjs (issue 4, `npm run bench:remote`) → bench/results/remote.json
// When a script is missing or fails, the key is `null` and notes.<key> says why.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { harnessRoot } from './lib/dist.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

const SIZES = {
  fanout: { full: [], quick: ['--iterations=10'], smoke: ['--iterations=3'] },
  remote: { full: [], quick: ['--n=300', '--warmup=50', '--rounds=2'], smoke: ['--n=40', '--warmup=10', '--rounds=1'] },
};

/** Fan-out of quotes through a lowest-cost router: 32 children of 50 ms each vs one child. */
export async function measureFanout({ mode, log = () => {} }) {
  const script = here('./fanout.mjs');
  if (!existsSync(script)) return { result: null, reason: 'bench/fanout.mjs (issue 5) does not exist yet' };
  const run = await runScript(script, SIZES.fanout[mode], log);
  const one = /1 child:\s+p50 ([\d.]+) ms/.exec(run.stdout);
  const many = /(\d+)\s+children: p50 ([\d.]+) ms/.exec(run.stdout);
  const latency = /answering after (\d+) ms/.exec(run.stdout);
  if (!one || !many) return { result: null, reason: `bench/fanout.mjs printed no summary (exit ${run.code}): ${tail(run)}` };
  const oneMs = Number(one[1]);
  const manyMs = Number(many[2]);
  return {
    result: {
      children: Number(many[1]),
      child_ms: latency ? Number(latency[1]) : null,
      p50_ms: manyMs,
      one_child_p50_ms: oneMs,
      ratio: Math.round((manyMs / oneMs) * 1000) / 1000,
    },
    source: 'bench/fanout.mjs',
  };
}

/** One remote hop (authorize on a one-leaf subtree) over TCP and NATS vs in-process. */
export async function measureRemote({ mode, log = () => {} }) {
  const script = here('./remote-hop.mjs');
  if (!existsSync(script)) return { result: null, reason: 'bench/remote-hop.mjs (issue 4) does not exist yet' };
  const output = here('./results/remote.json');
  const startedAt = Date.now();
  const run = await runScript(script, SIZES.remote[mode], log);
  if (!existsSync(output) || statSync(output).mtimeMs < startedAt) {
    return { result: null, reason: `bench/remote-hop.mjs wrote no bench/results/remote.json (exit ${run.code}): ${tail(run)}` };
  }
  const { rows } = JSON.parse(readFileSync(output, 'utf8'));
  const p50 = (path) => rows.find((r) => r.operation === 'authorize' && r.path === path)?.p50_ms ?? null;
  const result = {
    operation: 'authorize',
    inprocess_p50_ms: p50('in-process'),
    tcp_p50_ms: p50('remote tcp'),
    nats_p50_ms: p50('remote nats'),
    rows,
  };
  if (result.inprocess_p50_ms === null || result.tcp_p50_ms === null) {
    return { result: null, reason: 'bench/results/remote.json has no authorize rows for in-process and remote tcp' };
  }
  return { result, source: 'bench/remote-hop.mjs', ...(result.nats_p50_ms === null && { reason: 'NATS unreachable: no nats row' }) };
}

function runScript(script, args, log) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', script, ...args], { cwd: harnessRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      for (const line of chunk.split('\n')) if (line.trim()) log(`  | ${line}`);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const tail = (run) => (run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ').slice(0, 500);
