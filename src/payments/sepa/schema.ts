import { readFileSync } from 'node:fs';
import { XmlDocument, XmlLibError, XsdValidator } from 'libxml2-wasm';

export const PAIN001_VERSIONS = ['pain.001.001.09', 'pain.001.001.03'] as const;
/** The versions banks ask for (MONEY.md): .09 by default, .03 where a bank's guide still wants it. */
export type Pain001Version = (typeof PAIN001_VERSIONS)[number];

export const CAMT_VERSIONS = ['camt.054.001.08', 'camt.053.001.08'] as const;
/** The bank's files the reconciliation reads: debit/credit notifications and end-of-day statements. */
export type CamtVersion = (typeof CAMT_VERSIONS)[number];

/** Every ISO 20022 schema bundled in xsd/. */
export type XsdName = Pain001Version | CamtVersion;

export interface SchemaError {
  readonly line: number;
  readonly message: string;
}

/**
 * One validator per version for the life of the process: compiling an XSD costs more than
 * validating a small file. Their WebAssembly memory is never given back, on purpose.
 */
const validators = new Map<XsdName, XsdValidator>();

function validatorOf(version: XsdName): XsdValidator {
  const known = validators.get(version);
  if (known) return known;
  // The official ISO 20022 schema, bundled beside this file (xsd/README.md) and copied to dist by the build.
  const xsd = XmlDocument.fromString(readFileSync(new URL(`./xsd/${version}.xsd`, import.meta.url), 'utf8'));
  const validator = XsdValidator.fromDoc(xsd);
  validators.set(version, validator);
  return validator;
}

/** What libxml2 finds wrong with a pain.001 file against the version's XSD: nothing when it is valid. */
export function validatePain001(xml: string, version: Pain001Version): SchemaError[] {
  return validateThen(xml, version, () => undefined);
}

/**
 * Parses a file once and validates it; when it is valid, `read` looks at the very document
 * validated before it is freed (a 20,000-transfer file is not parsed twice).
 */
export function validateThen(xml: string, version: Pain001Version, read: (doc: XmlDocument) => void): SchemaError[] {
  let doc: XmlDocument | undefined;
  try {
    // Default options: no DTD, no external entity, no network.
    doc = XmlDocument.fromString(xml);
    const errors = validateDoc(doc, version);
    if (errors.length === 0) read(doc);
    return errors;
  } catch (error) {
    if (!(error instanceof XmlLibError)) throw error;
    return schemaErrorsOf(error);
  } finally {
    doc?.dispose();
  }
}

/** What libxml2 finds wrong with a document already parsed against one of the bundled schemas. */
export function validateDoc(doc: XmlDocument, schema: XsdName): SchemaError[] {
  try {
    validatorOf(schema).validate(doc);
    return [];
  } catch (error) {
    if (!(error instanceof XmlLibError)) throw error;
    return schemaErrorsOf(error);
  }
}

export function schemaErrorsOf(error: XmlLibError): SchemaError[] {
  return error.details.map((d) => ({ line: d.line, message: d.message.trim() }));
}
