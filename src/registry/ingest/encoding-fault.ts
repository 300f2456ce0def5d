import { createReadStream } from 'node:fs';
import { RempartError } from '../../domain/errors/codes.js';

/**
 * A file that stops being UTF-8 is refused whole; the message names the line and the byte,
 * so that the person fixing a 33-million-line extract goes straight to it.
 */
export class EncodingFault extends RempartError {
  constructor(readonly offset: number) {
    super('FILE_ENCODING', `octet ${offset} du fichier (compté depuis 0)`);
  }
}

/**
 * Index of the first byte that does not start a well-formed UTF-8 sequence (a sequence cut
 * by the end of `bytes` counts), or -1 when all of it is UTF-8. Same rules as a fatal
 * TextDecoder: no overlong forms, no surrogates, nothing above U+10FFFF.
 */
export function invalidUtf8At(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/** Length of the well-formed sequence at `i`, 0 when there is none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0;
  if (lead < 0x80) return 1;
  const [length, low, high] = leadRule(lead);
  if (length === 0 || i + length > bytes.length) return 0;
  const second = bytes[i + 1] ?? 0;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k += 1) {
    const next = bytes[i + k] ?? 0;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

/** A lead byte's sequence length and the range its second byte must fall in. */
function leadRule(lead: number): [number, number, number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}

/**
 * How many bytes at the end of valid UTF-8 text begin a sequence still to be completed
 * (0 to 3): what a streaming decoder holds back between two chunks.
 */
export function pendingSequence(tail: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, tail.length); k += 1) {
    const byte = tail[tail.length - k] ?? 0;
    if (byte >= 0x80 && byte <= 0xbf) continue;
    const [length] = leadRule(byte);
    return length > k ? k : 0;
  }
  return 0;
}

/** Counts line feeds up to a byte, chunk after chunk: a file is never read whole for this. */
class LineFinder {
  private line = 1;
  private lineStart = 0;
  private position = 0;

  constructor(private readonly offset: number) {}

  feed(chunk: Buffer): void {
    for (let at = chunk.indexOf(0x0a); at >= 0 && this.position + at < this.offset; at = chunk.indexOf(0x0a, at + 1)) {
      this.line += 1;
      this.lineStart = this.position + at + 1;
    }
    this.position += chunk.length;
  }

  /** Line (1-based) and byte within it (0-based) of the offset. */
  where(): { line: number; column: number } {
    return { line: this.line, column: this.offset - this.lineStart };
  }
}

/** The refusal of a file whose byte `offset` is the first that is not UTF-8. */
export async function encodingRefusal(path: string, offset: number): Promise<RempartError> {
  const finder = new LineFinder(offset);
  if (offset > 0) {
    for await (const chunk of createReadStream(path, { end: offset - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) finder.feed(chunk);
  }
  return refusal(offset, finder.where());
}

/** The same for a document read whole (a catalogue). */
export function encodingRefusalIn(bytes: Uint8Array, offset: number): RempartError {
  const finder = new LineFinder(offset);
  finder.feed(Buffer.from(bytes.buffer, bytes.byteOffset, offset));
  return refusal(offset, finder.where());
}

function refusal(offset: number, where: { line: number; column: number }): RempartError {
  return new RempartError(
    'FILE_ENCODING',
    `ligne ${where.line}, octet ${where.column} de la ligne (octet ${offset} du fichier, comptés depuis 0) : séquence UTF-8 invalide`,
  );
}
