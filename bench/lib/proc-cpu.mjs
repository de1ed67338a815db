// CPU time a child process has used (user + system), from /proc/<pid>/stat on Linux; null
// elsewhere. CPU per request is far steadier than latency on a shared, busy machine.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every mainstream Linux build

export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based) → indexes 11 and 12 here.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU ms per thread of `pid`, from /proc/<pid>/task: a Map tid → { name, ms, systemMs }; empty elsewhere. */
export function threadCpuMsOf(pid) {
  const threads = new Map();
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const systemMs = (Number(fields[12]) * 1000) / TICKS_PER_SECOND;
      threads.set(Number(tid), { name, ms: (Number(fields[11]) * 1000) / TICKS_PER_SECOND + systemMs, systemMs });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return threads;
}
