import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path.js';

describe('the path a login sends back to', () => {
  it('keeps a path of the platform, with its query', () => {
    expect(safeReturnPath('/soins')).toBe('/soins');
    expect(safeReturnPath('/moi?onglet=sessions')).toBe('/moi?onglet=sessions');
  });

  it('refuses anything a browser could read as another site, and nothing at all', () => {
    for (const hostile of ['//evil.example/soins', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', 'soins', '/ soins', '', null, undefined, `/${'a'.repeat(600)}`]) {
      expect(safeReturnPath(hostile), String(hostile)).toBeUndefined();
    }
  });
});
