/**
 * Stored credentials (the card schemes' credential-on-file framework): who starts a payment, and
 * whether it stores the card for later or charges a stored one. A card stored through one provider
 * can be charged through another because what ties the payments together is the scheme's network
 * transaction id of the first one, which every provider accepts.
 */

/** `customer`: the shopper is present (customer-initiated, CIT). `merchant`: they are not (merchant-initiated, MIT). */
export type Initiator = 'customer' | 'merchant';

export interface StoredCredential {
  /**
   * `first`: a customer-initiated payment that stores the card for later use (the shopper agreed):
   * the leaf asks its provider to flag it so and answers the scheme's network transaction id.
   * `subsequent`: a payment with a card stored before, sent as such with `networkTransactionId`.
   */
  usage: 'first' | 'subsequent';
  /** `unscheduled` (charges at the merchant's discretion) or `recurring` (a fixed schedule). */
  model: 'unscheduled' | 'recurring';
  /** With `subsequent`: the scheme's id of the first payment, as a leaf answered it. Null when unknown. */
  networkTransactionId: string | null;
}
