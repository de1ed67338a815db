import { leafOutcome, notSupported, type AuthorizeOutcome, type AuthorizeRequest, type NodeContext } from '#gateway-spi';
import { DelegatingNode } from './broken-nodes.js';

/**
 * Stored-credential defects for the contract suite's own tests: a sound node with one defect each.
 * Test doubles, not adapters.
 */

/** Loses the scheme's network transaction id the leaf answered, so a stored card can never be charged again. */
export class DropsNetworkTransactionIdNode extends DelegatingNode {
  override async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const { networkTransactionId: _dropped, ...outcome } = await this.inner.authorize(request, ctx);
    return outcome;
  }
}

/** Forgets who starts the payment: a merchant-initiated payment reaches the provider as the shopper's own, so it may ask for them. */
export class AsksShopperOnMerchantInitiatedNode extends DelegatingNode {
  override authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const { initiator: _forgotten, ...customerInitiated } = request;
    return this.inner.authorize(customerInitiated, ctx);
  }
}

/** A composite node that drops the stored credential on its way down: the leaf takes a one-off payment. */
export class StripsStoredCredentialNode extends DelegatingNode {
  override authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const { storedCredential: _stripped, ...oneOff } = request;
    return this.inner.authorize(oneOff, ctx);
  }
}

/** A leaf without stored credentials, which answers them with an explicit "not supported" (retryable: nothing charged). */
export class NoStoredCredentialsNode extends DelegatingNode {
  override authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    if (request.storedCredential === undefined) return this.inner.authorize(request, ctx);
    const { code, message } = notSupported(this.id, 'stored_credentials');
    return Promise.resolve(leafOutcome(this.id, request, { outcome: 'failed', code, message, retryable: true, providerReference: null, amountCaptured: 0, latencyMs: 0 }));
  }
}

/** Refuses stored credentials as a final failure, so no router would try a leaf that has them. */
export class RefusesStoredCredentialsFinallyNode extends NoStoredCredentialsNode {
  override async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const outcome = await super.authorize(request, ctx);
    return request.storedCredential === undefined ? outcome : { ...outcome, retryable: false };
  }
}
