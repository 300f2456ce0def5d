import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openApart, rewrapApart, sealApart } from './apart.js';
import { LocalMasterKey } from './master-key.js';

describe('a value sealed apart (no insurer: a lot of invoices)', () => {
  const master = new LocalMasterKey(randomBytes(32));
  const plain = Buffer.from('{"engagement":"E12345678-ABCDEFGHIJKLMNOP"}');
  const here = Buffer.from('["invoice_lot",1,"L1","pending"]');

  it('opens where it was sealed, holds nothing of it in clear, and opens nowhere else nor under another master key', async () => {
    const sealed = await sealApart(master, plain, here);
    expect(sealed.includes(Buffer.from('E12345678'))).toBe(false);
    expect(await openApart(master, sealed, here)).toEqual(plain);
    await expect(openApart(master, sealed, Buffer.from('["invoice_lot",1,"L1","answer"]'))).rejects.toMatchObject({ code: 'authentication-failed' });
    await expect(openApart(new LocalMasterKey(randomBytes(32)), sealed, here)).rejects.toMatchObject({ code: 'authentication-failed' });
    const altered = Buffer.from(sealed);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    await expect(openApart(master, altered, here)).rejects.toMatchObject({ code: 'authentication-failed' });
    await expect(openApart(master, sealed.subarray(0, 10), here)).rejects.toMatchObject({ code: 'sealed-format' });
  });

  it('moves under a new master key by its wrapped key alone, once, and refuses a value neither key opens', async () => {
    const next = new LocalMasterKey(randomBytes(32));
    const sealed = await sealApart(master, plain, here);
    const moved = await rewrapApart(master, next, sealed, here);
    expect(moved?.subarray(-plain.length)).toEqual(sealed.subarray(-plain.length)); // the ciphertext untouched
    expect(await openApart(next, moved ?? Buffer.alloc(0), here)).toEqual(plain);
    await expect(openApart(master, moved ?? Buffer.alloc(0), here)).rejects.toMatchObject({ code: 'authentication-failed' });
    expect(await rewrapApart(master, next, moved ?? Buffer.alloc(0), here)).toBeNull();
    const elsewhere = await sealApart(new LocalMasterKey(randomBytes(32)), plain, here);
    await expect(rewrapApart(master, next, elsewhere, here)).rejects.toMatchObject({ code: 'authentication-failed' });
    await expect(rewrapApart(master, next, sealed, Buffer.from('["invoice_lot",2,"L1","pending"]'))).rejects.toMatchObject({ code: 'authentication-failed' });
  });
});
