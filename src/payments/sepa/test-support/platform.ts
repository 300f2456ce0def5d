import { specimenAccount } from '../../../domain/payments/test-support/runs.js';

/** The platform's paying account in the tests: a synthetic French account. */
export const platformAccount = specimenAccount(99_000_001, 'Rempart Opérateur de tiers payant', 'BNPAFRPPXXX');
