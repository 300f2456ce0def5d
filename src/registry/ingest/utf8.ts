import { Transform, type TransformCallback } from 'node:stream';
import { EncodingFault, invalidUtf8At, pendingSequence } from './encoding-fault.js';

/**
 * Decodes bytes to text and refuses the first invalid UTF-8 sequence, so a Latin-1 file
 * is refused whole instead of loading names with replacement characters. A leading BOM
 * is dropped. The fault carries the byte offset of the bad sequence (EncodingFault): the
 * decoder does not tell it, so on failure the chunk is scanned again, from the bytes the
 * decoder held back at its start.
 */
export function strictUtf8(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let consumed = 0;
  let tail: Uint8Array = new Uint8Array(0);
  const decode = (chunk: Buffer | undefined, stream: boolean): string => {
    const bytes = chunk ?? new Uint8Array(0);
    try {
      const text = decoder.decode(chunk, { stream });
      tail = bytes.length >= 3 ? bytes.subarray(-3) : Buffer.concat([tail, bytes]).subarray(-3);
      consumed += bytes.length;
      return text;
    } catch {
      const held = pendingSequence(tail);
      const at = invalidUtf8At(Buffer.concat([tail.subarray(tail.length - held), bytes]));
      throw new EncodingFault(consumed - held + Math.max(at, 0));
    }
  };
  return new Transform({
    readableObjectMode: true,
    readableHighWaterMark: 2,
    transform(chunk: Buffer, _encoding, done: TransformCallback): void {
      try {
        done(null, decode(chunk, true));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback): void {
      try {
        const rest = decode(undefined, false);
        done(null, rest.length > 0 ? rest : undefined);
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
