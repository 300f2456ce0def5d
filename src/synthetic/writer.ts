import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { SYNTAXES } from './layouts.js';
import type { FileLayout, Syntax } from './layouts.js';

/** Lines handed to the stream at once: large enough to amortise writes, small enough to stay flat. */
export const CHUNK_LINES = 4_096;

export interface RecordFileOptions {
  readonly path: string;
  readonly layout: FileLayout;
  readonly syntax: Syntax;
  readonly rows: Iterable<readonly string[]>;
  /** Called after each chunk with the number of data lines written so far in this file. */
  readonly onChunk?: (written: number) => void;
}

/**
 * Writes identification, header, rows and the `#FIN;N` trailer, pulling rows lazily and
 * waiting for 'drain' whenever the stream's buffer is full: memory holds one chunk, whatever
 * the file's size. Returns the number of data lines.
 */
export async function writeRecordFile({ path, layout, syntax, rows, onChunk }: RecordFileOptions): Promise<number> {
  const format = SYNTAXES[syntax];
  const formatRow = format.rows(layout);
  const stream = createWriteStream(path, { encoding: 'utf8' });
  // Errors surface through once() and finished(); this listener only keeps an 'error' emitted
  // while no one awaits from crashing the process.
  stream.on('error', () => undefined);
  const write = async (text: string): Promise<void> => {
    if (stream.errored) throw stream.errored;
    if (!stream.write(text)) await once(stream, 'drain');
  };
  try {
    const header = format.header(layout);
    await write(`${format.identification(layout)}\n${header === undefined ? '' : `${header}\n`}`);
    let count = 0;
    let chunk = '';
    for (const row of rows) {
      chunk += `${formatRow(row)}\n`;
      count += 1;
      if (count % CHUNK_LINES === 0) {
        await write(chunk);
        chunk = '';
        onChunk?.(count);
      }
    }
    await write(`${chunk}${format.trailer(count)}\n`);
    onChunk?.(count);
    stream.end();
    await finished(stream);
    return count;
  } catch (error) {
    stream.destroy();
    throw error;
  }
}
