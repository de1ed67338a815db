/** Nest injection tokens of the root gateway. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const TREE = Symbol('TREE');
export const PRISMA = Symbol('PRISMA');
/** The `SqlClient` of the database: single statements on hot paths, without the ORM's runtime. */
export const SQL = Symbol('SQL');
