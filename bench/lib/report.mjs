// The printed summary: one table per measurement, with the targets of shared/notes/performance.md.

const fmt = (v, digits = 3) => (v === null || v === undefined ? '—' : typeof v === 'number' ? String(Number(v.toFixed(digits))) : String(v));

function table(print, title, headers, rows) {
  const cells = [headers, ...rows.map((r) => r.map((c) => fmt(c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r) => `  ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')}`;
  print(`\n${title}`);
  print(line(headers));
  print(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of cells.slice(1)) print(line(r));
}

const verdict = (ok) => (ok === null ? '' : ok ? 'ok' : 'MISSED');

/** The lowest rate whose final attempt failed (a failed step retried successfully counts as passed). */
function firstFailed(steps) {
  const finalByRate = new Map();
  for (const s of steps) finalByRate.set(s.rate_rps, s.pass);
  const failed = [...finalByRate].filter(([, pass]) => !pass).map(([rate]) => rate);
  return failed.length > 0 ? Math.min(...failed) : null;
}

/** True when the throughput ratio compares two sustained rates (not the fallback of throughputRatio). */
const sustainedRatio = (t) => t.ratio !== null && (t.ratio_basis === undefined || t.ratio_basis.startsWith('max sustained'));

export function printReport(r, print = console.log) {
  print(`\n=== canopy bench (${r.meta.mode}) — ${r.meta.database}`);
  print(`    ${r.meta.cpus} CPU(s), load ${r.meta.load_at_start.join(' ')} at start, ${r.meta.load_at_end?.join(' ')} at end`);

  const o = r.overhead;
  if (o) {
    table(print, `OVERHEAD at ${o.rate_rps} req/s (open loop, latency from scheduled send, ${o.requests_per_target} payments each; gateway tree depth ${o.tree_depth})`,
      ['target', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'],
      [
        ['direct (leaf in-process)', o.direct_p50_ms, o.detail.direct.p90_ms, o.direct_p99_ms, o.detail.direct.max_ms, o.errors.direct],
        ['floor (node:http + driver)', o.floor_p50_ms, o.detail.floor.p90_ms, o.floor_p99_ms, o.detail.floor.max_ms, o.errors.floor],
        ['gateway (full)', o.gateway_p50_ms, o.detail.gateway.p90_ms, o.gateway_p99_ms, o.detail.gateway.max_ms, o.errors.gateway],
      ]);
    table(print, 'OVERHEAD: what the gateway adds', ['difference', 'p50 ms', 'p99 ms', 'target', ''],
      [
        ['gateway − direct', o.added_p50_ms, o.added_p99_ms, 'p50 ≤ 1, p99 ≤ 5 (issue 7)', verdict(o.added_p50_ms <= 1 && o.added_p99_ms <= 5)],
        ['gateway − floor', o.added_over_floor_p50_ms, o.added_over_floor_p99_ms, 'p50 ≤ 0.5, p99 ≤ 2 (performance.md)', verdict(o.added_over_floor_p50_ms <= 0.5 && o.added_over_floor_p99_ms <= 2)],
      ]);
    print(`  CPU per payment (server process, user + system): gateway ${fmt(o.gateway_cpu_ms_per_payment)} ms, floor ${fmt(o.floor_cpu_ms_per_payment)} ms`);
    print(`  generator lag (send time − scheduled time): p50 ${fmt(o.detail.generator_lag.p50_ms)} ms, p99 ${fmt(o.detail.generator_lag.p99_ms)} ms`);
    if (o.server_timing) print(`  gateway's Server-Timing: own time p50 ${fmt(o.server_timing.gateway_p50_ms)} ms, p99 ${fmt(o.server_timing.gateway_p99_ms)} ms; tree p50 ${fmt(o.server_timing.tree_p50_ms)} ms, p99 ${fmt(o.server_timing.tree_p99_ms)} ms (${o.server_timing.answers} answers)`);
  }

  const t = r.throughput;
  if (t) {
    const atMax = (steps, rate) => steps.filter((s) => s.rate_rps === rate).at(-1);
    const cpuAt = (steps, rate) => {
      const s = atMax(steps, rate);
      return s ? [s.server_cpu_ms_per_payment ?? null, s.db_cpu_ms_per_payment ?? null] : [null, null];
    };
    table(print, `THROUGHPUT (${t.criteria}; ${t.database}${t.min_samples_per_step ? `; >= ${t.min_samples_per_step} samples per step` : ''})`,
      ['server', 'max req/s', 'first failed at', 'CPU ms/payment at max', 'postgres CPU ms/payment', ''],
      [
        ['gateway', t.gateway_rps, firstFailed(t.steps.gateway) ?? '—', ...cpuAt(t.steps.gateway, t.gateway_rps), t.gateway_capped_by_ladder ? 'ladder cap' : ''],
        ['floor', t.floor_rps, firstFailed(t.steps.floor) ?? '—', ...cpuAt(t.steps.floor, t.floor_rps), t.floor_capped_by_ladder ? 'ladder cap' : ''],
        ['ratio gateway/floor', t.ratio ?? 'none', '', '', '', sustainedRatio(t) ? `target ≥ 0.7 ${verdict(t.ratio >= 0.7)}` : 'target ≥ 0.7 not judged: see below'],
      ]);
    // Always say what the ratio is made of (older results files have no basis).
    print(`  ratio: ${t.ratio_basis ?? 'max sustained req/s, gateway / floor'}`);
    if (t.judged_on === 'p90') print('  quick mode: steps judged on p90 (too few samples per step for an honest p99); p99 is in the JSON steps');
  }

  const so = r.scale_out;
  if (so) {
    const row = (label, s, max) => [label, max, s?.achieved_rps ?? null, s?.gateway_cpu_ms_per_payment ?? null, s?.db_cpu_ms_per_payment ?? null, s?.cores_busy.servers ?? null, s?.cores_busy.database ?? null, s?.cores_busy.machine ?? null];
    table(print, `SCALE-OUT: gateway processes on one PostgreSQL database (judged on ${so.judged_on}; figures at the highest rate offered)`,
      ['processes', 'max req/s', 'ok/s at top', 'gateway CPU ms/pay', 'postgres CPU ms/pay', 'cores: gateways', 'postgres', 'machine'],
      [row('1', so.at_limit.one, so.one_process_rps), row('2', so.at_limit.two, so.max_rps)]);
    print(`  two / one: ${fmt(so.speedup)} (${so.speedup_basis})`);
    print(`  limit: ${so.limit}`);
  } else if (r.notes?.scale_out) print(`\nSCALE-OUT\n  null: ${r.notes.scale_out}`);

  if (r.depth) {
    const d = r.depth_detail;
    table(print, `DEPTH (in-process, sequential, ${d?.calls_per_depth ?? '?'} calls each)`, ['depth', 'p50 µs', 'p99 µs'],
      r.depth.map((row) => [row.depth, row.p50_ms * 1000, row.p99_ms * 1000]));
    if (d) print(`  per extra level (slope): p50 ${fmt(d.per_level_p50_us, 2)} µs, p99 ${fmt(d.per_level_p99_us, 2)} µs — target ≤ 20 µs p50 ${verdict(d.per_level_p50_us <= 20)}`);
  }

  const p = r.prisma_vs_pg;
  if (p) {
    const base = p.variants.find((v) => v.name === 'raw');
    table(print, `PRISMA vs ${p.raw_driver} on the create-payment hot path (API-key read + claim + record, one payment at a time, ${p.iterations} each)`,
      ['path', 'p50 ms', 'p99 ms', 'CPU µs/payment', 'statements', 'p50 / raw', 'CPU / raw'],
      p.variants.map((v) => [v.label, v.p50_ms, v.p99_ms, v.cpu_us_per_payment, v.statements ?? '—', v.p50_ms / base.p50_ms, v.cpu_us_per_payment / base.cpu_us_per_payment]));
    print('  (the gateway and the floor send one statement per commit, floor/fused-writes.mjs; "one statement per row" writes the same rows as the gateway did before)');
    const s = p.statements_per_payment;
    if (s && s.prisma !== s.raw) {
      print(`  WARNING: the gateway now sends ${s.prisma} statements per payment and the floor ${s.raw}: bring bench/floor/payment-writes.mjs back in step (prisma_statements in the JSON lists the gateway's).`);
    }
  }

  for (const [name, keys, title] of [
    ['fanout', ['children', 'child_ms', 'p50_ms', 'ratio'], 'FANOUT (target ratio ≤ 1.2)'],
    ['remote', ['inprocess_p50_ms', 'tcp_p50_ms', 'nats_p50_ms'], 'REMOTE HOP (target ≤ 1 ms p50 per hop)'],
  ]) {
    if (!(name in r.notes)) continue;
    if (r[name]) table(print, title, keys, [keys.map((k) => r[name][k])]);
    else print(`\n${title}\n  null: ${r.notes[name]}`);
  }

  const prof = r.profile;
  if (prof) {
    print(`\nPROFILE of the gateway at ${prof.rate_rps} req/s for ${prof.duration_ms / 1000} s: ${fmt(prof.cpu_ms_per_request)} ms CPU per request (profiler on), main thread ${prof.idle_share} % idle`);
    print(`  biggest cost: ${prof.biggest_cost}`);
    table(print, '  by layer (% of busy time)', ['layer', '%'], prof.layers.map((l) => [l.name, l.share_of_busy]));
    table(print, '  top modules (self time)', ['module', '%'], prof.top_modules.slice(0, 8).map((m) => [m.name, m.share_of_busy]));
    table(print, '  top functions (self time)', ['function', '%'], prof.top_functions.slice(0, 10).map((f) => [f.name, f.share_of_busy]));
    print(`  profile file: ${prof.file}`);
  }
}

// `node bench/lib/report.mjs [results.json]` prints the tables of a results file again.
if (import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1] ?? '').href) {
  const { readFile } = await import('node:fs/promises');
  const file = process.argv[2] ?? new URL('../results/latest.json', import.meta.url);
  printReport(JSON.parse(await readFile(file, 'utf8')));
}
