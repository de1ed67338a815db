// CPU time a child process has used (user + system), from /proc/<pid>/stat on Linux; null
// elsewhere. CPU per request is far steadier than latency on a shared, busy machine.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every mainstream Linux build

/** `{ ms, systemMs }` (user + system, and system alone) from a /proc stat file, or null. */
function cpuOfStat(statPath) {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based) → indexes 11 and 12 here.
    const systemMs = (Number(fields[12]) * 1000) / TICKS_PER_SECOND;
    return { ms: (Number(fields[11]) * 1000) / TICKS_PER_SECOND + systemMs, systemMs };
  } catch {
    return null;
  }
}

export function cpuMsOf(pid) {
  return cpuOfStat(`/proc/${pid}/stat`)?.ms ?? null;
}

/** The main thread's CPU (`{ ms, systemMs }`, from /proc/<pid>/task/<pid>/stat), or null; the rest of the process is V8's and libuv's threads. */
export function mainThreadCpuOf(pid) {
  return cpuOfStat(`/proc/${pid}/task/${pid}/stat`);
}
