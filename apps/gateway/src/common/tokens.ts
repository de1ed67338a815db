/** Nest injection tokens of the root gateway (the database's are `#persistence`'s: PRISMA, SQL). */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const TREE = Symbol('TREE');
