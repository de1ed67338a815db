// Checks real answers against the OpenAPI document the gateway serves: the answer's status must be
// documented for the operation, and its body must match the documented schema, with every
// documented object closed (a field the document does not name is an error, so the document cannot
// silently fall behind the code).
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { expect } from 'vitest';

// CommonJS packages: Node's ESM loader gives module.exports, TypeScript's types a `default` on it.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

type Json = Record<string, unknown>;
const DOC_ID = 'https://canopy.invalid/openapi.json';

/** Every object schema that names its properties and says nothing about others gets `additionalProperties: false`. */
function closeObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closeObjects);
  if (!value || typeof value !== 'object') return value;
  const out: Json = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, closeObjects(child)]));
  if (out.properties && typeof out.properties === 'object' && !('additionalProperties' in out)) {
    out.additionalProperties = false;
  }
  return out;
}

export interface ResponseLike {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  /** `METHOD template status` of every answer checked, to assert coverage. */
  readonly checked = new Set<string>();

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOC_ID, components: closeObjects(document.components) } as Json);
  }

  operation(method: string, template: string): Json {
    const paths = this.document.paths as Record<string, Record<string, Json>>;
    const operation = paths[template]?.[method.toLowerCase()];
    expect(operation, `${method} ${template} is documented`).toBeDefined();
    return operation!;
  }

  /** Asserts the answer's status is documented for the operation and its JSON body matches. */
  expectConforms(response: ResponseLike, method: string, template: string): void {
    const operation = this.operation(method, template);
    const responses = operation.responses as Record<string, Json>;
    const documented = responses[String(response.status)];
    expect(documented, `${method} ${template} documents status ${response.status} (documents ${Object.keys(responses).join(', ')})`).toBeDefined();
    const content = documented!.content as Record<string, { schema: Json }> | undefined;
    const schema = content?.['application/json']?.schema;
    expect(schema, `${method} ${template} ${response.status} has a JSON schema`).toBeDefined();
    const key = `${method.toUpperCase()} ${template} ${response.status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const absolute = JSON.parse(JSON.stringify(closeObjects(schema)).replaceAll('"#/components/', `"${DOC_ID}#/components/`));
      validate = this.ajv.compile(absolute as Json);
      this.validators.set(key, validate);
    }
    const valid = validate(response.body);
    expect(valid ? [] : validate.errors, `${key}: ${JSON.stringify(response.body).slice(0, 400)}`).toEqual([]);
    this.checked.add(key);
  }
}
