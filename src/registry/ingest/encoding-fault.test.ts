import fc from 'fast-check';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { RempartError } from '../../domain/errors/codes.js';
import { scratchDir, writeFixture } from '../test-support/fixtures.js';
import { EncodingFault, invalidUtf8At } from './encoding-fault.js';
import { parseHeaderLine } from './file-header.js';
import { readRecords } from './records.js';
import { strictUtf8 } from './utf8.js';

/** A lead byte and what follows it, drawn near the edges of UTF-8's ranges (overlong forms, surrogates, past U+10FFFF). */
const edgySequence = fc
  .tuple(fc.constantFrom(0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf3, 0xf4, 0xf5, 0xff), fc.array(fc.constantFrom(0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0), { maxLength: 3 }))
  .map(([lead, rest]) => Buffer.from([lead, ...rest]));

/** Bytes that are mostly UTF-8 (any code point), with a stray byte or a doubtful sequence now and then. */
const mostlyUtf8 = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }).map((s) => Buffer.from(s)), fc.uint8Array({ maxLength: 2 }), edgySequence), { maxLength: 8 })
  .map((parts) => Buffer.concat(parts));

const strict = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/** Feeds bytes to strictUtf8 in chunks of the given sizes; returns the text, or the fault. */
async function decodeInChunks(bytes: Buffer, sizes: readonly number[]): Promise<string | EncodingFault> {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  let text = '';
  try {
    await pipeline(Readable.from(chunks), strictUtf8(), async (decoded: AsyncIterable<string>) => {
      for await (const piece of decoded) text += piece;
    });
    return text;
  } catch (error) {
    if (error instanceof EncodingFault) return error;
    throw error;
  }
}

describe('where a file stops being UTF-8', () => {
  it('finds the first bad byte exactly where a strict decoder gives up', () => {
    fc.assert(
      fc.property(mostlyUtf8, (bytes) => {
        const at = invalidUtf8At(bytes);
        if (at < 0) {
          expect(() => strict(bytes)).not.toThrow();
          return;
        }
        expect(() => strict(bytes)).toThrow();
        // Everything before it is UTF-8, and a lenient decoder puts its first replacement there.
        const before = strict(bytes.subarray(0, at));
        expect(new TextDecoder().decode(bytes).startsWith(`${before}\uFFFD`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same byte offset whatever the chunks the file is read in', async () => {
    await fc.assert(
      fc.asyncProperty(mostlyUtf8, fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), async (bytes, sizes) => {
        const decoded = await decodeInChunks(bytes, sizes);
        const at = invalidUtf8At(bytes);
        if (at < 0) expect(decoded).toBe(new TextDecoder().decode(bytes));
        else expect(decoded instanceof EncodingFault ? decoded.offset : decoded).toBe(at);
      }),
      { numRuns: 500 },
    );
  });

  it('names the line and the byte of a Latin-1 character in the middle of a file', async () => {
    const lines = [`#rempart.professionnels/1;date=${today()}`, 'rpps;nom', ...Array.from({ length: 5 }, (_, i) => `1234567890${i};NOM`), '#FIN;5'];
    const good = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const line7 = good.indexOf('NOM', good.indexOf('12345678904'));
    const bytes = Buffer.concat([good.subarray(0, line7 + 1), Buffer.from([0xe9]), good.subarray(line7 + 1)]); // NéOM, in Latin-1
    const path = writeFixture(scratchDir(), 'latin1.csv', bytes);
    const reading = async (): Promise<void> => {
      for await (const batch of readRecords(path, parseHeaderLine(lines[0] ?? ''), { known: ['rpps', 'nom'], required: ['rpps'] })) void batch;
    };
    const column = line7 + 1 - (good.lastIndexOf('\n', line7) + 1);
    await expect(reading()).rejects.toThrow(new RempartError('FILE_ENCODING', `ligne 7, octet ${column} de la ligne (octet ${line7 + 1} du fichier, comptés depuis 0) : séquence UTF-8 invalide`));
  });
});
