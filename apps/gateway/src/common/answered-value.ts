declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The value a route's JSON answer was serialized from, where the route kept it (the first answer
     * of an idempotent request): hooks read it instead of parsing the payload back.
     */
    answered?: unknown;
  }
}

export {};
