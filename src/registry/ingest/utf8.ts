import { Transform, type TransformCallback } from 'node:stream';
import { RempartError } from '../../domain/errors/codes.js';

/**
 * Decodes bytes to text and refuses the first invalid UTF-8 sequence, so a Latin-1 file
 * is refused whole instead of loading names with replacement characters. A leading BOM
 * is dropped.
 */
export function strictUtf8(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const decode = (chunk: Buffer | undefined, stream: boolean): string => {
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new RempartError('FILE_ENCODING');
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
