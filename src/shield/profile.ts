import type { Practice } from '../domain/coverage/practice-domains.js';

/**
 * The kinds of practice whose rhythms differ enough to need their own priors: a pharmacy
 * checks 75–300 patients a day, an optician a few, a hospital's admissions desk runs at night.
 */
export type Profile = 'pharmacy' | 'physician' | 'dentist' | 'optician' | 'audiologist' | 'nurse' | 'laboratory' | 'hospital' | 'other';

export const profiles: readonly Profile[] = ['pharmacy', 'physician', 'dentist', 'optician', 'audiologist', 'nurse', 'laboratory', 'hospital', 'other'];

/** What a new account of a profile is expected to do, before it has a history of its own. */
export interface ProfilePrior {
  /** Distinct patients checked on a typical working day. */
  typicalDay: number;
  /** Distinct patients within one minute that no human serves: step-up beyond. */
  minuteCap: number;
  /** Whether nights and Sundays are ordinary working hours (hospitals). */
  roundTheClock: boolean;
}

export const priors: Readonly<Record<Profile, ProfilePrior>> = {
  pharmacy: { typicalDay: 150, minuteCap: 12, roundTheClock: false },
  physician: { typicalDay: 25, minuteCap: 6, roundTheClock: false },
  dentist: { typicalDay: 15, minuteCap: 6, roundTheClock: false },
  optician: { typicalDay: 6, minuteCap: 5, roundTheClock: false },
  audiologist: { typicalDay: 4, minuteCap: 5, roundTheClock: false },
  nurse: { typicalDay: 20, minuteCap: 6, roundTheClock: false },
  laboratory: { typicalDay: 90, minuteCap: 12, roundTheClock: false },
  hospital: { typicalDay: 200, minuteCap: 20, roundTheClock: true },
  other: { typicalDay: 20, minuteCap: 6, roundTheClock: false },
};

const byProfession: Readonly<Record<string, Profile>> = {
  '10': 'physician',
  '21': 'pharmacy',
  '26': 'audiologist',
  '28': 'optician',
  '40': 'dentist',
  '60': 'nurse',
  '70': 'nurse',
};

/** A practice's profile: the kind of site first (a hospital pharmacist works a hospital's hours), then the profession. */
export function profileOf(practice: Practice): Profile {
  if (practice.siteKind === 'etablissement') return 'hospital';
  if (practice.siteKind === 'laboratoire') return 'laboratory';
  return byProfession[practice.professionCode] ?? 'other';
}
