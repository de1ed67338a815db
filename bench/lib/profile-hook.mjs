// Preloaded into the gateway child (`node --import ./bench/lib/profile-hook.mjs ...`): a line
// `profile start` on the child's stdin starts V8's sampling CPU profiler (the one behind
// `--cpu-prof`); `profile stop` stops it, writes a .cpuprofile to CANOPY_BENCH_PROFILE_DIR and
// prints `cpu profile written: <path>`. Unlike `--cpu-prof`, start-up stays out of the profile
// and no clean exit is needed (the gateway re-raises SIGTERM after its shutdown hooks, which
// skips --cpu-prof's exit handler). Not a signal: Nest's shutdown hooks own SIGUSR2 and the rest.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { createInterface } from 'node:readline';

let session = null;
const post = (method, params = {}) =>
  new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

async function start() {
  if (session) return;
  session = new Session();
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: Number(process.env.CANOPY_BENCH_PROFILE_INTERVAL_US ?? 200) });
  await post('Profiler.start');
  console.log('cpu profile started');
}

async function stop() {
  if (!session) return;
  const { profile } = await post('Profiler.stop');
  session.disconnect();
  session = null;
  const dir = process.env.CANOPY_BENCH_PROFILE_DIR ?? '.';
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `gateway-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`cpu profile written: ${file}`);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = line.trim();
  const action = command === 'profile start' ? start : command === 'profile stop' ? stop : null;
  action?.().catch((error) => console.error('profile hook:', error));
});
// Reading stdin must not keep the gateway alive on its own.
process.stdin.unref?.();
