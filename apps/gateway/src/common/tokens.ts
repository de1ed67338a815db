/** Nest injection tokens of the root gateway. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const TREE = Symbol('TREE');
export const PRISMA = Symbol('PRISMA');
