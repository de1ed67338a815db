/** Every problem of a tree config, each naming the node and the field; one line per problem. */
export class TreeConfigError extends Error {
  override readonly name = 'TreeConfigError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}
