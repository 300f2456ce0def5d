import { describe, expect, it } from 'vitest';
import { campaignWords, containedWords, falseAlarmWords, withoutFigures } from './words.js';

describe('the simulator’s words', () => {
  it('says what contained an attack, with the thresholds’ own signal names and the causes as the console words them', () => {
    expect(containedWords('step_up', { findings: 'hour 17 > 15.9, day 92 > 59.8' })).toBe('confirmation d’identité : hour 17 > 15.9, day 92 > 59.8');
    expect(containedWords('suspend', { cause: 'dormant' })).toBe('suspension : compte inutilisé depuis longtemps');
    expect(campaignWords('driftCumulative 3.1 > 3', 13, 50)).toBe('alerte de la plateforme : driftCumulative 3.1 > 3 (13/50 confinés avant)');
    expect(campaignWords(null, 4, 50)).toBe('pas d’alerte de la plateforme (4/50 comptes confinés un à un)');
  });

  it('groups seeds by what contained them, figures aside', () => {
    expect(withoutFigures('confirmation d’identité : hour 17 > 15.9, day 92 > 59.8')).toBe('confirmation d’identité : hour, day');
    expect(withoutFigures('alerte de la plateforme : driftScore 2.6 > 2.5 (10/50 confinés avant)')).toBe('alerte de la plateforme : driftScore');
  });

  it('says why a legitimate account met a step-up, and on what kind of day', () => {
    expect(falseAlarmWords('step_up', 'pharmacy', { signals: ['hour', 'day'] }, ['merger', 'monday'])).toBe('confirmation d’identité, pharmacie, hour+day (fusion, lundi)');
    expect(falseAlarmWords('suspend', 'hospital', { cause: 'repeated_step_up' }, [])).toBe(
      'suspension, établissement de santé, confirmations d’identité répétées le même jour (jour ordinaire)',
    );
  });
});
