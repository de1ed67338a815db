import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ADMIN_AUTH, MERCHANT_AUTH } from './api-docs.decorators.js';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = `${DOCS_PATH}/openapi.json`;

/** The OpenAPI 3.1 document, generated from the controllers and DTOs of `app`. */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Canopy')
    .setDescription(
      'A hierarchical payment gateway. Merchants call one API; the root drives a tree of provider nodes. ' +
        'JSON, snake_case, amounts in integer minor units. Every 4xx/5xx answer has the `ErrorResponse` body.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A merchant API key: the secret key (`sk_test_…`); POST /v1/tokens also takes the publishable key (`pk_test_…`).' }, MERCHANT_AUTH)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The ops admin token (`CANOPY_ADMIN_TOKEN`).' }, ADMIN_AUTH)
    .addTag('payments', 'Take, capture, void and refund card payments')
    .addTag('webhooks', 'Webhook endpoints (Standard Webhooks)')
    .addTag('routing', 'How the tree would route a payment')
    .addTag('ops', 'Merchants, the tree, faults and reconciliation (admin token)')
    .addTag('health', 'Liveness and readiness')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Serves the document at /docs/openapi.json and Swagger UI at /docs. The UI's assets come from the
 * swagger-ui-dist package (served by @fastify/static), so the page works without internet access.
 * Call before `app.init()`: the routes must exist before Fastify is ready.
 */
export function setupOpenApi(app: NestFastifyApplication): void {
  allowInlineStylesOnDocs(app);
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Canopy API',
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true },
  });
}

/**
 * Swagger UI's page carries inline <style> blocks (and a style attribute) that the gateway's strict
 * CSP blocks; on /docs pages only, inline styles are allowed. Scripts stay `'self'`.
 */
function allowInlineStylesOnDocs(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply, payload) => {
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string' && request.url.startsWith(`/${DOCS_PATH}`)) {
      void reply.header('content-security-policy', csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"));
    }
    return payload;
  });
}
