import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';

/**
 * Security headers on every answer (helmet: nosniff, no-referrer, frame denial, HSTS, a strict
 * CSP that pages must satisfy by loading their scripts and styles from files), and
 * `Cache-Control: no-store` unless a route chose its own caching: API answers hold payment data.
 * Helmet's middleware is built once here (its Fastify plugin builds a new one, CSP string
 * included, on every request; no route here has helmet options of its own).
 */
export function registerSecurityHeaders(app: NestFastifyApplication): void {
  const setSecurityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    // Since helmet 8.1 a bad option throws instead of reaching `next`, which gets no argument.
    setSecurityHeaders(request.raw, reply.raw, () => done());
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
