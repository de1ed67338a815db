// What bench:routing reads off a row's per-payment record (the leaf of each first attempt, whether
// the payment was approved): approval overall and at steady state, and how fast traffic moved.

/** Payments left out of the steady state: the first `settle` and the `settle` after each shift. */
export function steadyMask(payments, shifts, settle) {
  const steady = new Uint8Array(payments).fill(1);
  for (const start of [0, ...shifts.map((shift) => shift.index)]) steady.fill(0, start, Math.min(payments, start + settle));
  return steady;
}

function rateOver(approved, include) {
  let n = 0;
  let ok = 0;
  for (let i = 0; i < approved.length; i += 1) {
    if (!include(i)) continue;
    n += 1;
    ok += approved[i];
  }
  return n === 0 ? null : ok / n;
}

/**
 * Payments after `shift` (`forGood`) until the dropped leaf's share of first attempts over the trailing
 * `window` payments falls below the share of the shift's new best leaf for good (it stays below
 * until the next shift; null: it is not below at the phase's end). "For good" keeps a lead the new
 * best leaf had by chance before the shift, or a brief dip, from reading as the move. The trailing
 * window reaches back before the shift, so even an instant switch reads about window / 2: the
 * oracle row shows that floor. `firstBelow`: the first time it is below.
 */
export function movedAfter(firstLeaf, shift, phaseEnd, window, leafIndex) {
  const dropped = leafIndex.get(shift.leaf);
  const best = leafIndex.get(shift.newBest);
  let droppedCount = 0;
  let bestCount = 0;
  const from = Math.max(0, shift.index - window);
  for (let i = from; i < shift.index; i += 1) {
    droppedCount += firstLeaf[i] === dropped ? 1 : 0;
    bestCount += firstLeaf[i] === best ? 1 : 0;
  }
  /** The last payment of the phase at which the dropped leaf was not yet below, and the first at which it was. */
  let lastNotBelow = shift.index - 1;
  let firstBelow = null;
  for (let i = shift.index; i < phaseEnd; i += 1) {
    droppedCount += firstLeaf[i] === dropped ? 1 : 0;
    bestCount += firstLeaf[i] === best ? 1 : 0;
    const leaving = i - window;
    if (leaving >= from) {
      droppedCount -= firstLeaf[leaving] === dropped ? 1 : 0;
      bestCount -= firstLeaf[leaving] === best ? 1 : 0;
    }
    if (droppedCount >= bestCount) lastNotBelow = i;
    else firstBelow ??= i - shift.index + 1;
  }
  return { forGood: lastNotBelow === phaseEnd - 1 ? null : lastNotBelow - shift.index + 2, firstBelow };
}

/** Share of first attempts by leaf over the steady payments of each phase. */
function sharesByPhase(firstLeaf, bounds, steady, leafIds) {
  return bounds.map(([start, end]) => {
    const counts = new Array(leafIds.length).fill(0);
    let n = 0;
    for (let i = start; i < end; i += 1) {
      if (!steady[i]) continue;
      counts[firstLeaf[i]] += 1;
      n += 1;
    }
    return Object.fromEntries(leafIds.map((id, k) => [id, n === 0 ? null : round4(counts[k] / n)]));
  });
}

export function summarizeRow(record, { shifts, settle, movedWindow, leafIds }) {
  const { approved, firstLeaf, attempts } = record;
  const payments = approved.length;
  const steady = steadyMask(payments, shifts, settle);
  const starts = [0, ...shifts.map((shift) => shift.index)];
  const bounds = starts.map((start, k) => [start, starts[k + 1] ?? payments]);
  const leafIndex = new Map(leafIds.map((id, k) => [id, k]));
  const moves = shifts.map((shift, k) => movedAfter(firstLeaf, shift, bounds[k + 1][1], movedWindow, leafIndex));
  let attemptCount = 0;
  for (const n of attempts) attemptCount += n;
  return {
    approval: round4(rateOver(approved, () => true)),
    approval_steady: round4(rateOver(approved, (i) => steady[i] === 1)),
    approval_steady_by_phase: bounds.map(([start, end]) => round4(rateOver(approved, (i) => i >= start && i < end && steady[i] === 1))),
    first_attempt_share_by_phase: sharesByPhase(firstLeaf, bounds, steady, leafIds),
    moved_after_payments: moves.map((move) => move.forGood),
    first_below_after_payments: moves.map((move) => move.firstBelow),
    attempts_per_payment: round4(attemptCount / payments),
  };
}

export function round4(value) {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 10_000) / 10_000;
}
