// ajv for the schemas of a generated document: OpenAPI 3.1's are JSON Schema 2020-12, AsyncAPI 3.0's draft-07;
// each schema is compiled beside the document's components, so its `#/components/..` references resolve.
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

// ajv-formats is published as CommonJS with a default export; NodeNext sees the namespace.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

/** A compiler of the schemas of `document`; `example` is checked the way the service checks its input. */
export function documentSchemas(
  document: Record<string, unknown>,
  dialect: '2020-12' | 'draft-07',
): (schema: unknown) => ValidateFunction {
  const options = { allErrors: true, allowUnionTypes: true, multipleOfPrecision: 6, strict: false };
  const ajv = addFormats(dialect === '2020-12' ? (new Ajv2020(options) as unknown as Ajv) : new Ajv(options));
  return (schema) => ajv.compile({ allOf: [schema], components: document.components });
}

/** The errors of one check, on one line, for an assertion message. */
export function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`).join('; ');
}
