import { createHash } from 'node:crypto';
import type { AuthorizeRequest, Initiator, StoredCredential } from '#gateway-spi';

/**
 * What an authorize carrying a stored credential said, as the sandbox provider remembers it (no card
 * data): who started it, the credential's usage and model, and the network transaction id it came with.
 */
export interface StoredCredentialRecord {
  initiator: Initiator;
  usage: StoredCredential['usage'];
  model: StoredCredential['model'];
  /** The network transaction id the request was sent with (a subsequent payment's link to the first). */
  sentNetworkTransactionId: string | null;
  /** The one the simulator answers once the attempt is approved (derived from the attempt id). */
  networkTransactionId: string;
  /** A 3-D Secure card approved without the shopper: a merchant-initiated subsequent payment (MIT exemption). */
  mitExemption: boolean;
}

/** What `SimulatorNode.storedCredentialOf` shows: the answered id only once the attempt is approved. */
export type StoredCredentialView = Omit<StoredCredentialRecord, 'networkTransactionId'> & { networkTransactionId: string | null };

const USAGES: readonly string[] = ['first', 'subsequent'];
const MODELS: readonly string[] = ['unscheduled', 'recurring'];
const INITIATORS: readonly string[] = ['customer', 'merchant'];

/**
 * The scheme's id of an attempt as the simulator invents it: 15 digits (the length of a Visa
 * transaction id) hashed from the attempt id, so a replay of the attempt id answers the same one.
 */
export function networkTransactionIdFor(attemptId: string): string {
  const digest = createHash('sha256').update(`simulator network transaction ${attemptId}`).digest();
  return (digest.readBigUInt64BE(0) % 10n ** 15n).toString().padStart(15, '0');
}

/** Why the request's initiator or stored credential is malformed, or null. */
export function storedCredentialProblem(req: Pick<AuthorizeRequest, 'initiator' | 'storedCredential'>): string | null {
  if (req.initiator !== undefined && !INITIATORS.includes(req.initiator)) return `initiator must be customer or merchant (got ${String(req.initiator)})`;
  const credential = req.storedCredential;
  if (credential === undefined) return null;
  if (!USAGES.includes(credential.usage)) return `storedCredential.usage must be first or subsequent (got ${String(credential.usage)})`;
  if (!MODELS.includes(credential.model)) return `storedCredential.model must be unscheduled or recurring (got ${String(credential.model)})`;
  const sent = credential.networkTransactionId;
  if (sent !== null && (typeof sent !== 'string' || sent.trim() === '')) return 'storedCredential.networkTransactionId must be a non-empty string or null';
  return null;
}

/**
 * A merchant-initiated subsequent payment with the first payment's network transaction id: the
 * issuer exempts it from authentication, so a 3-D Secure card approves without the shopper.
 */
export function hasMitExemption(req: Pick<AuthorizeRequest, 'initiator' | 'storedCredential'>): boolean {
  const credential = req.storedCredential;
  return req.initiator === 'merchant' && credential?.usage === 'subsequent' && typeof credential.networkTransactionId === 'string';
}

/** The ledger's memory of the request's stored credential; null for a one-off payment. */
export function storedCredentialRecordOf(
  req: Pick<AuthorizeRequest, 'attemptId' | 'initiator' | 'storedCredential'>,
  mitExemption = false,
): StoredCredentialRecord | null {
  const credential = req.storedCredential;
  if (!credential) return null;
  return {
    initiator: req.initiator ?? 'customer',
    usage: credential.usage,
    model: credential.model,
    sentNetworkTransactionId: credential.networkTransactionId,
    networkTransactionId: networkTransactionIdFor(req.attemptId),
    mitExemption,
  };
}

/** A replay must say what the first call said about who started it and the stored credential. */
export function storedCredentialMismatch(
  seen: { initiator: Initiator; storedCredential: StoredCredentialRecord | null },
  req: Pick<AuthorizeRequest, 'initiator' | 'storedCredential'>,
): boolean {
  if (seen.initiator !== (req.initiator ?? 'customer')) return true;
  const before = seen.storedCredential;
  const now = req.storedCredential;
  if (!before || !now) return before !== null || now !== undefined;
  return before.usage !== now.usage || before.model !== now.model || before.sentNetworkTransactionId !== now.networkTransactionId;
}
