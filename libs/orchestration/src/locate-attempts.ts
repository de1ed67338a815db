import { attemptIdFor, type GatewayNode, type NodeContext, type NodeDescriptor, type StatusOutcome } from '#gateway-spi';

/** One attempt of a payment, found at the leaf that holds it. */
export interface LocatedAttempt {
  seq: number;
  attemptId: string;
  /** Route path from the root to the leaf, e.g. ["root", "eu", "sim-alpha"]. */
  path: string[];
  status: StatusOutcome;
}

export type AttemptSearch =
  /** Every attempt the leaves know of, in order (none: the payment never reached a provider). */
  | { kind: 'found'; attempts: LocatedAttempt[] }
  /** Some leaf (or an undescribed remote subtree) could not answer: the search must be repeated. */
  | { kind: 'unknown'; reason: string };

/**
 * Finds where a payment's attempts went when nothing recorded their route (the process routing it
 * stopped before it could). Attempt ids are deterministic per payment and sequence, and a payment
 * makes at most one attempt per leaf, so it asks every leaf for attempts 1 to n (n leaves), until
 * one approved or waits for the shopper (`requires_action`: found, bound to its leaf). An attempt that failed before its leaf recorded it is unknown to every leaf, so a
 * gap does not end the search. A leaf answering `not_found` proves it never charged that attempt;
 * any `unknown` makes the whole search unknown. n × n inquiries: a rare path, not a hot one.
 */
export async function locateAttempts(root: GatewayNode, paymentId: string, ctx: NodeContext): Promise<AttemptSearch> {
  const leaves = leafPaths(root.describe());
  if ('unknown' in leaves) return { kind: 'unknown', reason: leaves.unknown };
  const attempts: LocatedAttempt[] = [];
  for (let seq = 1; seq <= leaves.paths.length; seq += 1) {
    const attemptId = attemptIdFor(paymentId, seq);
    const answers = await Promise.all(
      leaves.paths.map(async (path) => ({ path, status: await root.status({ path, attemptId, providerReference: null }, ctx) })),
    );
    const unanswered = answers.find((answer) => answer.status.state === 'unknown');
    if (unanswered) return { kind: 'unknown', reason: `${unanswered.path.join('/')} could not say whether it holds ${attemptId}` };
    const known = answers.filter((answer) => answer.status.state !== 'not_found');
    if (known.length === 0) continue;
    // One attempt id reaches one leaf; should two claim it, an approval is the one that moved money.
    const holder = known.find((answer) => answer.status.state === 'approved') ?? known.find((answer) => endsWalk(answer.status)) ?? known[0]!;
    attempts.push({ seq, attemptId, path: holder.path, status: holder.status });
    if (endsWalk(holder.status)) break;
  }
  return { kind: 'found', attempts };
}

/** No router tries another child after an approval, nor after a leaf asked for the shopper. */
function endsWalk(status: StatusOutcome): boolean {
  return status.state === 'approved' || status.state === 'requires_action';
}

/** Route paths of every leaf under `node`, or why they cannot all be known. */
function leafPaths(node: NodeDescriptor, prefix: string[] = []): { paths: string[][] } | { unknown: string } {
  const path = [...prefix, node.id];
  if (node.kind === 'adapter') return { paths: [path] };
  const children = node.children ?? [];
  if (node.kind === 'remote' && children.length === 0) return { unknown: `remote subtree ${path.join('/')} was never described` };
  const paths: string[][] = [];
  for (const child of children) {
    const below = leafPaths(child, path);
    if ('unknown' in below) return below;
    paths.push(...below.paths);
  }
  return { paths };
}
