import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The providers' own API descriptions, copied unchanged into `libs/provider-fakes/specs/` (see its README). */
export const SPECS_DIR = new URL('../specs/', import.meta.url);

/**
 * OpenAPI 3.0's `nullable: true` in the forms Ajv's own `nullable` keyword refuses: on a schema
 * without `type` (Stripe marks many `anyOf` schemas so) it becomes `anyOf: [..., {type: 'null'}]`,
 * and a nullable `enum` gains `null`. Only nullability changes; every other constraint stays.
 */
function normalizeNullable(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(normalizeNullable);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  Object.values(schema).forEach(normalizeNullable);
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  if (schema.nullable === true && schema.type === undefined) {
    delete schema.nullable;
    if (Array.isArray(schema.anyOf)) schema.anyOf.push({ type: 'null' });
    else {
      const copy = { ...schema };
      for (const key of Object.keys(schema)) if (key !== 'description') delete schema[key];
      schema.anyOf = [copy, { type: 'null' }];
    }
  }
}

/**
 * Validates values against the schemas of a provider's published OpenAPI document, by schema name
 * (`components/schemas/<name>`) or by JSON pointer into the document. OpenAPI 3.0 (`nullable`) runs
 * on Ajv's default dialect, 3.1 on JSON Schema 2020-12. Vendor extensions are ignored, nothing else.
 */
export class PublishedSchemas {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly document: Record<string, unknown>;

  constructor(file: string) {
    this.document = JSON.parse(readFileSync(new URL(file, SPECS_DIR), 'utf8')) as Record<string, unknown>;
    const openapi = String(this.document.openapi ?? '');
    const options = { strict: false, allErrors: true, logger: false as const, validateSchema: false };
    this.ajv = openapi.startsWith('3.1') ? new Ajv2020(options) : new Ajv(options);
    if (!openapi.startsWith('3.1')) normalizeNullable(this.document);
    (addFormats as unknown as (ajv: Ajv) => void)(this.ajv);
    this.ajv.addSchema({ ...this.document, $id: 'spec' }, 'spec');
  }

  /** Problems of `value` against `components/schemas/<name>` (or a `#/…` pointer); empty when it conforms. */
  problems(schema: string, value: unknown): string[] {
    const pointer = schema.startsWith('#') ? schema : `#/components/schemas/${schema}`;
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `spec${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${schema}${error.instancePath || ''}: ${error.message ?? 'invalid'}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`);
  }
}
