/**
 * The few R4 elements the FHIR edge reads or writes, typed after the official schema has
 * accepted a resource (schema.ts): everything else a resource may carry is ignored.
 */
export interface Identifier {
  system?: string;
  value?: string;
}

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Extension {
  url: string;
  valueString?: string;
  valuePositiveInt?: number;
  valueDateTime?: string;
  valueCode?: string;
  valueUnsignedInt?: number;
  valueBoolean?: boolean;
  valueMoney?: Money;
}

export interface Money {
  value?: number;
  currency?: string;
}

export interface Reference {
  reference?: string;
  type?: string;
  identifier?: Identifier;
  display?: string;
}

export interface Patient {
  resourceType: 'Patient';
  id?: string;
  identifier?: Identifier[];
  birthDate?: string;
  _birthDate?: { extension?: Extension[] };
  extension?: Extension[];
}

export interface Coverage {
  resourceType: 'Coverage';
  id?: string;
  subscriberId?: string;
  payor: Reference[];
}

export interface CoverageEligibilityRequest {
  resourceType: 'CoverageEligibilityRequest';
  contained?: ({ resourceType: string; id?: string } | Patient | Coverage)[];
  purpose?: string[];
  patient: Reference;
  servicedDate?: string;
  servicedPeriod?: object;
  provider?: Reference;
  facility?: Reference;
  insurer: Reference;
  insurance?: { coverage: Reference }[];
  item?: { category?: CodeableConcept }[];
}

export interface ClaimItem {
  sequence: number;
  informationSequence?: number[];
  category?: CodeableConcept;
  productOrService: CodeableConcept;
  programCode?: CodeableConcept[];
  servicedDate?: string;
  servicedPeriod?: object;
  quantity?: { value?: number };
  unitPrice?: Money;
  net?: Money;
  bodySite?: CodeableConcept;
  extension?: Extension[];
}

export interface Claim {
  resourceType: 'Claim';
  use: string;
  identifier?: Identifier[];
  extension?: Extension[];
  billablePeriod?: { start?: string; end?: string };
  provider?: Reference;
  facility?: Reference;
  insurance: { sequence: number; focal: boolean; preAuthRef?: string[] }[];
  supportingInfo?: { sequence: number; category: CodeableConcept; code?: CodeableConcept; timingDate?: string }[];
  item?: ClaimItem[];
}

export interface BundleEntry {
  resource?: unknown;
  request?: { method: string; url: string };
}

export interface Bundle {
  resourceType: 'Bundle';
  type: string;
  identifier?: Identifier;
  entry?: BundleEntry[];
}

export interface Task {
  resourceType: 'Task';
  status: string;
  intent: string;
  code?: CodeableConcept;
  focus?: Reference;
  requester?: Reference;
}
