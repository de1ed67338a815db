import type { SandboxCards } from '#gateway-spi';
import type { ContractFixture, ResolvedFixture } from './contract-subject.js';

/** The sandbox test cards of API.md: what every sandbox leaf answers unless its fixture says otherwise. */
export const API_SANDBOX_CARDS: SandboxCards = Object.freeze<SandboxCards>({
  approved: ['4242424242424242', '5555555555554444'],
  declined: [
    { number: '4000000000000002', code: 'card_declined' },
    { number: '4000000000009995', code: 'insufficient_funds' },
    { number: '4000000000000069', code: 'expired_card' },
  ],
  failed: [{ number: '4000000000000119', code: 'processing_error' }],
  lostReply: '4000000000000101',
  challengeApproved: '4000000000003220',
  challengeRefused: '4000008400001629',
  frictionless: '4000000000003055',
});

export function resolveFixture(fixture: ContractFixture = {}): ResolvedFixture {
  const cards = { ...API_SANDBOX_CARDS, ...fixture.cards };
  if (cards.approved.length === 0) throw new Error('contract fixture: cards.approved needs at least one card');
  const amount = fixture.amount ?? 1000;
  if (!Number.isSafeInteger(amount) || amount < 10) throw new Error('contract fixture: amount must be an integer of at least 10');
  return {
    cards,
    currency: (fixture.currency ?? 'EUR').toUpperCase(),
    foreignCurrency: (fixture.foreignCurrency ?? 'XTS').toUpperCase(),
    amount,
    cvc: fixture.cvc ?? '737',
    callTimeoutMs: fixture.callTimeoutMs ?? 5000,
    shortDeadlineMs: fixture.shortDeadlineMs ?? 150,
    hangMarginMs: fixture.hangMarginMs ?? 1000,
  };
}
