import { describe, expect, it } from 'vitest';
import { today } from '../clock.js';
import { addDays } from '../domain/dates.js';
import { returns580, type Return580Entry } from './returns-580.js';

const DAY = today();
const entry = (numero: string, paye: number, paiement: Return580Entry['paiement'], type = 'decision'): Return580Entry => ({
  type, le: `${DAY}T10:00:00.000Z`, numeroFacture: numero, numero: `F123456789-${numero.padEnd(16, 'A')}`, lot: 'L1', statut: type === 'decision' ? 'payee' : 'annulee',
  engagement: 'E123456789-AAAAAAAAAAAAAAAA', dateSoins: DAY, demande: paye, paye, paiement,
  lignes: [{ acte: 'PH7', domaine: 'PHAR', statut: 'acceptee', demande: paye, paye }],
});

describe('the returns as a 580-like file', () => {
  it('puts each return under the payment that settles it, in the order payments first appear, those not paid yet together', () => {
    const first = { reference: 'RP-ONE', date: addDays(DAY, 1) };
    const second = { reference: 'RP-TWO', date: addDays(DAY, 2) };
    const file = returns580(
      { organisme: '123456789', curseur: 'next', retours: [entry('A', 100, first), entry('B', 200, null), entry('C', 300, second), entry('D', 400, first), entry('B', 200, null, 'annulation')] },
      { site: '750000001', at: new Date(`${DAY}T12:00:00Z`), from: null },
    );
    const records = file.trim().split('\r\n').map((line) => line.split(';'));
    const blocks = records.filter((r) => r[0] === '100').map((r) => r.slice(1));
    expect(blocks).toEqual([['RP-ONE', first.date, '2', '500'], ['', '', '2', '200'], ['RP-TWO', second.date, '1', '300']]);
    expect(records.filter((r) => r[0] === '200').map((r) => r[3])).toEqual(['A', 'D', 'B', 'B', 'C']);
    // Decisions pay, the cancellation takes back: 100 + 200 + 300 + 400 − 200.
    expect(records.at(-1)).toEqual(['999', '5', '5', '1200', '800', 'next']);
  });

  it('counts a hold for review as nothing paid, and its decision after review as a payment', () => {
    const held = { ...entry('H', 700, null, 'mise_en_attente'), statut: 'en_attente', motif: 'FAC_DUPLICATE', paye: 0 };
    const file = returns580({ organisme: '123456789', curseur: 'c', retours: [held, entry('H', 700, null)] }, { site: '750000001', at: new Date(), from: null });
    const records = file.trim().split('\r\n').map((line) => line.split(';'));
    expect(records.filter((r) => r[0] === '200').map((r) => [r[1], r[9], r[13]])).toEqual([['mise_en_attente', 'en_attente', '0'], ['decision', 'payee', '700']]);
    expect(records.at(-1)).toEqual(['999', '2', '2', '1400', '700', 'c']);
  });

  it('quotes a label holding the separator, so that every record keeps its fields', () => {
    const quoted = { ...entry('A', 100, null), motif: 'GAR_RULES', libelle: 'Réduit ; au-delà de la garantie' };
    const file = returns580({ organisme: '123456789', curseur: 'c', retours: [quoted] }, { site: '750000001', at: new Date(), from: 'c0' });
    expect(file).toContain('"Réduit ; au-delà de la garantie"');
  });
});
