import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeCheck, registerCheck } from './check.js';

describe('describeCheck', () => {
  it('describes a valid NIR typed with spaces', () => {
    expect(describeCheck('nir', '2 95 10 99 126 111 93')).toEqual({
      ok: true,
      lines: [
        'NIR valide : 295109912611193',
        '  Type : NIR',
        '  Sexe : femme',
        '  Année de naissance : 95 (deux derniers chiffres)',
        '  Mois de naissance : 10',
        "  Lieu de naissance : à l'étranger, code pays 126",
        "  Numéro d'ordre : 111",
      ],
    });
  });

  it('describes Corsican, overseas, provisional and MSA numbers', () => {
    expect(describeCheck('nir', '285012A00401253').lines).toContain('  Lieu de naissance : Corse, département 2A, commune 004');
    expect(describeCheck('nir', '206049711200885').lines).toContain('  Lieu de naissance : outre-mer, département 971, commune 12');
    expect(describeCheck('nir', '180027505601208').lines).toContain('  Lieu de naissance : département 75, commune 056');
    expect(describeCheck('nir', '780129935204507').lines).toContain("  Type : numéro provisoire (NIA ou numéro d'attente)");
    expect(describeCheck('nir', '288423107512334').lines).toContain('  Mois de naissance : inconnu (code 42)');
    expect(describeCheck('nir', '555555012345605').lines).toEqual([
      'NIR valide : 555555012345605',
      '  Type : numéro provisoire MSA (seule la clé est vérifiable)',
    ]);
  });

  it('gives the code and the reason of a refusal', () => {
    expect(describeCheck('nir', '295109912611194')).toEqual({
      ok: false,
      lines: [
        'NIR invalide',
        '  Code : IDENTIFIER_KEY',
        '  Motif : La clé ne correspond pas aux 13 premiers caractères (clé attendue : 93).',
      ],
    });
  });

  it.each([
    ['rpps', '10123456781', 'Numéro RPPS valide : 10123456781'],
    ['siret', '123 456 782 00010', 'Numéro SIRET valide : 12345678200010'],
    ['finess', '2a0012342', 'Numéro FINESS valide : 2A0012342'],
    ['iban', 'FR76 3000 6000 0112 3456 7890 189', 'IBAN valide : FR7630006000011234567890189'],
    ['amc', '123456789', 'Numéro AMC valide : 123456789'],
  ] as const)('gives the normalised %s', (kind, value, line) => {
    expect(describeCheck(kind, value)).toEqual({ ok: true, lines: [line] });
  });

  it.each([
    ['rpps', '10123456782', 'IDENTIFIER_KEY'],
    ['siret', '1234', 'IDENTIFIER_LENGTH'],
    ['finess', '200012342', 'FINESS_DEPARTMENT'],
    ['iban', 'XX76', 'IBAN_COUNTRY'],
    ['amc', '12AB5678', 'IDENTIFIER_CHARACTERS'],
  ] as const)('refuses an invalid %s', (kind, value, code) => {
    const output = describeCheck(kind, value);
    expect(output.ok).toBe(false);
    expect(output.lines).toContain(`  Code : ${code}`);
  });
});

describe('rempart check', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  async function run(...args: string[]): Promise<string> {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const program = new Command('rempart').exitOverride().configureOutput({ writeErr: () => undefined });
    registerCheck(program);
    await program.parseAsync(['check', ...args], { from: 'user' });
    return written.join('');
  }

  it('prints the verdict and leaves the exit code alone when valid', async () => {
    const output = await run('nir', '2', '95', '10', '99', '126', '111', '93');
    expect(output).toMatch(/^NIR valide : 295109912611193\n/);
    expect(process.exitCode).toBeUndefined();
  });

  it('refuses a kind it does not know', async () => {
    await expect(run('adeli', '123456789')).rejects.toThrow(/adeli/);
  });

  it('sets exit code 1 when invalid', async () => {
    const output = await run('rpps', '10123456782');
    expect(output).toContain('Numéro RPPS invalide');
    expect(process.exitCode).toBe(1);
  });
});
