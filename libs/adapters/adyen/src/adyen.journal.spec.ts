import { describe, expect, it } from 'vitest';
import { AdyenJournal, modificationProblem } from './adyen.journal.js';

function approved(journal = new AdyenJournal()) {
  const entry = journal.sent({ attemptId: 'att_j_1', amount: 1000, currency: 'EUR', capture: false });
  journal.settle(entry, { state: 'approved', code: null, pspReference: 'PSPJ' });
  return { journal, entry };
}

describe('adyen journal: pending modifications', () => {
  it('a received capture is pending: counted against what remains, not reported captured until its notification', () => {
    const { journal, entry } = approved();
    journal.received(entry, 'att_j_1.capture', { kind: 'capture', amount: 600, pspReference: 'M1' });
    expect(entry.captured).toBe(0);
    expect(modificationProblem(entry, 'capture', 401)).toContain('exceeds what remains');
    journal.notified(entry, 'att_j_1.capture', { kind: 'capture', amount: 600 }, true);
    journal.notified(entry, 'att_j_1.capture', { kind: 'capture', amount: 600 }, true);
    expect(entry.captured).toBe(600);
  });

  it('a failed capture frees its amount; a confirmed refund proves the pending capture it refunds', () => {
    const { journal, entry } = approved();
    journal.received(entry, 'c1', { kind: 'capture', amount: 1000, pspReference: null });
    journal.notified(entry, 'c1', { kind: 'capture', amount: 1000 }, false);
    expect(modificationProblem(entry, 'capture', 1000)).toBeNull();
    journal.received(entry, 'c2', { kind: 'capture', amount: 600, pspReference: null });
    journal.received(entry, 're_1', { kind: 'refund', amount: 200, pspReference: null });
    journal.notified(entry, 're_1', { kind: 'refund', amount: 200 }, true);
    expect(entry).toMatchObject({ captured: 600, refunded: 200 });
    journal.notified(entry, 'c2', { kind: 'capture', amount: 600 }, true);
    expect(entry.captured).toBe(600);
  });

  it('finds an entry by pspReference, and a waiting entry settles once more, a final one never', () => {
    const journal = new AdyenJournal();
    const entry = journal.sent({ attemptId: 'att_w_1', amount: 1000, currency: 'EUR', capture: true });
    journal.settle(entry, { state: 'requires_action', code: null, pspReference: 'PSPW', nextAction: { type: 'redirect_to_url', url: 'https://x/y' } });
    expect(journal.byPspReference('PSPW')).toBe(entry);
    expect(modificationProblem(entry, 'capture', 1)).toContain('waits for the shopper');
    journal.settle(entry, { state: 'approved', code: null, pspReference: 'PSPW' });
    expect(entry).toMatchObject({ state: 'approved', nextAction: null, captured: 1000 });
    journal.settle(entry, { state: 'declined', code: 'card_declined', pspReference: 'PSPW' });
    expect(entry.state).toBe('approved');
  });
});
