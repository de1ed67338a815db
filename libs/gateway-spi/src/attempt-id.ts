/** Deterministic attempt ids: `att_<payment suffix>_<seq>`, so a lost attempt can still be asked about. */
export function attemptIdFor(paymentId: string, seq: number): string {
  return `att_${paymentId.replace(/^pay_/, '')}_${seq}`;
}

/** The payment id and seq an `attemptIdFor` id was made from, or null for another shape of id. */
export function parseAttemptId(attemptId: string): { paymentId: string; seq: number } | null {
  const match = /^att_(.+)_([1-9]\d*)$/.exec(attemptId);
  return match ? { paymentId: `pay_${match[1]}`, seq: Number(match[2]) } : null;
}
