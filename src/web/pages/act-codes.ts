import { DAILY_FEE_ACT, PRIVATE_ROOM_ACT } from '../../domain/coverage/hospital-acts.js';
import type { CareDomain } from '../../domain/coverage/care-domain.js';

/**
 * A helper list, not a nomenclature: the act codes a professional types most often in each
 * care domain, offered as suggestions on /soins (a datalist: any other code can still be
 * typed, and the API decides). Codes as the trade writes them on invoices (NGAP letters,
 * the pharmacy's rate codes); domains billed by CCAM or LPP codes (dental prostheses,
 * radiology, optics, hearing aids) have too many to suggest a few. Add codes here, in one place.
 */
export const commonActs: Readonly<Partial<Record<CareDomain, readonly (readonly [string, string])[]>>> = {
  PHAR: [['PH7', 'Médicament remboursé à 65 %'], ['PH4', 'Médicament remboursé à 30 %'], ['PH2', 'Médicament remboursé à 15 %'], ['PH1', 'Médicament remboursé à 100 %']],
  MED: [['G', 'Consultation de médecine générale'], ['GS', 'Consultation d’un spécialiste en médecine générale'], ['VG', 'Visite à domicile'], ['APC', 'Avis ponctuel de consultant']],
  MEDE: [['CS', 'Consultation de spécialiste'], ['APC', 'Avis ponctuel de consultant'], ['CNPSY', 'Consultation de neuropsychiatrie']],
  DENT: [['C', 'Consultation de chirurgien-dentiste']],
  SAGE: [['C', 'Consultation de sage-femme'], ['SF', 'Acte de sage-femme']],
  AUXM: [['AMI', 'Acte infirmier'], ['AIS', 'Soins infirmiers'], ['AMK', 'Acte de masseur-kinésithérapeute']],
  LABO: [['B', 'Acte de biologie']],
  HOSP: [[DAILY_FEE_ACT, 'Forfait journalier hospitalier'], [PRIVATE_ROOM_ACT, 'Chambre particulière, par jour']],
};
