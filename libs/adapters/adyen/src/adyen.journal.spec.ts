import { describe, expect, it } from 'vitest';
import { AdyenJournal, lacksNetworkId, modificationProblem } from './adyen.journal.js';

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

describe('adyen journal: the network transaction id of an approval', () => {
  const sent = (storedCredential?: boolean) => {
    const journal = new AdyenJournal();
    const entry = journal.sent({ attemptId: 'att_n_1', amount: 1000, currency: 'EUR', capture: false, ...(storedCredential === undefined ? {} : { storedCredential }) });
    return { journal, entry };
  };

  it('sent with a stored credential: the id Adyen answered, null when it answered none; a declined one keeps none', () => {
    const { journal, entry } = sent(true);
    journal.settle(entry, { state: 'approved', code: null, pspReference: 'PSPN', networkTxReference: '777718270854480' });
    expect(entry.networkTransactionId).toBe('777718270854480');
    const none = sent(true);
    none.journal.settle(none.entry, { state: 'approved', code: null, pspReference: 'PSPN', networkTxReference: null });
    expect(none.entry).toMatchObject({ networkTransactionId: null });
    const declined = sent(true);
    declined.journal.settle(declined.entry, { state: 'declined', code: 'card_declined', pspReference: 'PSPN', networkTxReference: '777718270854480' });
    expect(declined.entry).not.toHaveProperty('networkTransactionId');
  });

  it('a one-off payment keeps none even when Adyen answers one; a rebuilt entry (not known) keeps only an id Adyen gave', () => {
    const oneOff = sent(false);
    oneOff.journal.settle(oneOff.entry, { state: 'approved', code: null, pspReference: 'PSPN', networkTxReference: '777718270854480' });
    expect(oneOff.entry).not.toHaveProperty('networkTransactionId');
    const rebuilt = sent();
    expect(rebuilt.entry.storedCredential).toBeNull();
    rebuilt.journal.settle(rebuilt.entry, { state: 'approved', code: null, pspReference: 'PSPN', networkTxReference: null });
    expect(rebuilt.entry).not.toHaveProperty('networkTransactionId');
    const told = sent();
    told.journal.settle(told.entry, { state: 'approved', code: null, pspReference: 'PSPN', networkTxReference: '777718270854480' });
    expect(told.entry.networkTransactionId).toBe('777718270854480');
  });

  it('approved by a notification first: the id is still to be asked, and a later answer of Adyen fills it (never erased by one without)', () => {
    const { journal, entry } = sent(true);
    journal.settle(entry, { state: 'approved', code: null, pspReference: 'PSPN' });
    expect(lacksNetworkId(entry)).toBe(true);
    journal.settle(entry, { state: 'approved', code: null, pspReference: 'PSPN', networkTxReference: '777718270854480' });
    expect(lacksNetworkId(entry)).toBe(false);
    journal.settle(entry, { state: 'approved', code: null, pspReference: 'PSPN', networkTxReference: null });
    expect(entry.networkTransactionId).toBe('777718270854480');
    // The state of a final entry never changes.
    journal.settle(entry, { state: 'declined', code: 'card_declined', pspReference: 'PSPN', networkTxReference: '111' });
    expect(entry).toMatchObject({ state: 'approved', networkTransactionId: '777718270854480' });
  });
});
