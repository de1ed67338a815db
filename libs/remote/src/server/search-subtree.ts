import { attemptIdFor, parseAttemptId, statusWithoutMoney, type AttemptAddress, type NodeContext, type NodeDescriptor, type StatusOutcome } from '#gateway-spi';
import type { Tree } from '#orchestration';

export interface SearchResult {
  status: StatusOutcome;
  /** Where the attempt was found (a leaf that knows it), when one does. */
  address?: AttemptAddress;
}

function leafCount(descriptor: NodeDescriptor): number {
  const children = descriptor.children ?? [];
  return children.length === 0 ? 1 : children.reduce((sum, child) => sum + leafCount(child), 0);
}

const UNKNOWN = statusWithoutMoney('unknown', 'processing_error');

/**
 * Finds an attempt whose leaf is not known (no path, not in the journal): asks every leaf of the
 * subtree about the attempt id and about the ids the subtree's routers would have used had they
 * failed over inside (`attemptIdFor(payment, seq + k)`, k below the number of leaves). An approval
 * anywhere wins, then a leaf waiting for the shopper; else any unanswered leaf makes the answer `unknown`; `not_found` only when every
 * leaf says so for every id, which proves nothing was charged.
 */
export async function searchSubtree(tree: Pick<Tree, 'root' | 'nodes' | 'paths'>, request: AttemptAddress, ctx: NodeContext): Promise<SearchResult> {
  const leaves = [...tree.nodes.values()].filter((node) => !node.children);
  const width = leafCount(tree.root.describe());
  const parsed = parseAttemptId(request.attemptId);
  const ids = parsed ? Array.from({ length: width }, (_, k) => attemptIdFor(parsed.paymentId, parsed.seq + k)) : [request.attemptId];
  const asked = leaves.flatMap((leaf) =>
    ids.map(async (attemptId) => {
      const address: AttemptAddress = {
        path: tree.paths.get(leaf.id)!,
        attemptId,
        providerReference: attemptId === request.attemptId ? request.providerReference : null,
      };
      const status = await tree.root.status(address, ctx).catch((): StatusOutcome => UNKNOWN);
      return { status, address };
    }),
  );
  const answers = await Promise.all(asked);
  const first = (state: StatusOutcome['state']) => answers.find((answer) => answer.status.state === state);
  // A leaf waiting for the shopper holds the attempt like an approval would: no router went further.
  const found = first('approved') ?? first('requires_action') ?? (first('unknown') ? undefined : (first('declined') ?? first('failed')));
  if (found) return found;
  if (first('unknown') || (!parsed && width > 1)) return { status: { ...UNKNOWN, code: first('unknown')?.status.code ?? 'processing_error' } };
  return { status: { ...UNKNOWN, state: 'not_found', code: null } };
}
