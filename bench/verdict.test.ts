import { describe, expect, it } from 'vitest';
import { describeFailures, failureReason, perSecond, ratioVerdict, reliable, Tally, verdictLines } from './verdict.js';

function tally(successes: number, failures: Record<string, number> = {}): Tally {
  const t = new Tally();
  for (let i = 0; i < successes; i++) t.success();
  for (const [reason, count] of Object.entries(failures)) for (let i = 0; i < count; i++) t.failure(reason);
  return t;
}

describe('bench verdicts', () => {
  it('counts only successful answers toward a rate', () => {
    const t = tally(6, { SHIELD_STEP_UP_REQUIRED: 14_514 });
    expect(t.attempts).toBe(14_520);
    expect(perSecond(t, 20)).toBeCloseTo(0.3);
    expect(perSecond(tally(0), 20)).toBe(0);
  });

  it('trusts a measurement with a trace of failures, not one with more', () => {
    expect(reliable(tally(999, { HTTP_500: 1 }))).toBe(true);
    expect(reliable(tally(998, { HTTP_500: 2 }))).toBe(false);
    expect(reliable(tally(0))).toBe(false);
  });

  it('prints the ratio and its verdict when the measurements behind it held', () => {
    const from = [{ name: 'HTTP', tally: tally(1000) }, { name: 'pgbench', tally: tally(5000) }];
    expect(ratioVerdict('Rapport IDB HTTP / pgbench', 0.566, 0.5, from)).toEqual(['Rapport IDB HTTP / pgbench : 0,57 (objectif ≥ 0,5 : atteint)']);
    expect(ratioVerdict('Rapport IDB HTTP / pgbench', 0.19, 0.5, from)).toEqual(['Rapport IDB HTTP / pgbench : 0,19 (objectif ≥ 0,5 : non atteint)']);
  });

  it('refuses the ratio when requests failed, and says how many and why instead', () => {
    const failing = tally(6, { AUTH_PROFESSIONAL_INACTIVE: 9000, SHIELD_STEP_UP_REQUIRED: 5514 });
    const lines = ratioVerdict('Rapport IDB HTTP / pgbench', 0.57, 0.5, [{ name: 'IDB HTTP, débit max', tally: failing }, { name: 'pgbench', tally: tally(5000) }]);
    expect(lines.join('\n')).not.toContain('0,57');
    expect(lines.join('\n')).not.toContain('atteint');
    expect(lines).toEqual([
      'Rapport IDB HTTP / pgbench : non calculé (objectif ≥ 0,5) — plus de 0,10 % d’échecs, ce chiffre ne dirait rien :',
      '  - IDB HTTP, débit max : 14514 échecs sur 14520 requêtes (99,96 %) : AUTH_PROFESSIONAL_INACTIVE × 9000, SHIELD_STEP_UP_REQUIRED × 5514',
    ]);
  });

  it('refuses any goal verdict under the same rule', () => {
    const lines = verdictLines({ label: 'p99 à mi-charge', value: '2,0 ms', goal: '≤ 20 ms', met: true, from: [{ name: 'mi-charge', tally: tally(0) }] });
    expect(lines[0]).toContain('non calculé');
    expect(lines[1]).toBe('  - mi-charge : aucune des requêtes n’a abouti ni échoué');
  });

  it('tallies failures by reason, most frequent first, across rounds', () => {
    const merged = Tally.merge([tally(10, { B: 1, A: 1 }), tally(5, { B: 2 })]);
    expect(merged.successes).toBe(15);
    expect(describeFailures(merged)).toBe('4 échecs sur 19 requêtes (21,05 %) : B × 3, A × 1');
    const lines = new Tally('lignes');
    lines.successes = 999;
    lines.failure('NIR_KEY_INVALID', 3);
    expect(describeFailures(lines)).toBe('3 échecs sur 1002 lignes (0,30 %) : NIR_KEY_INVALID × 3');
  });

  it('names a failed answer by its error code, else by its status', () => {
    expect(failureReason(401, JSON.stringify({ code: 'SHIELD_STEP_UP_REQUIRED', message: '…' }))).toBe('SHIELD_STEP_UP_REQUIRED');
    expect(failureReason(502, '<html>Bad Gateway</html>')).toBe('HTTP 502');
    expect(failureReason(500, '{}')).toBe('HTTP 500');
  });
});
