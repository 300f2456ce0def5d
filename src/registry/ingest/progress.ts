import cliProgress from 'cli-progress';

export interface Progress {
  update(bytesRead: number, lines: number): void;
  stop(): void;
}

/**
 * A bar with rate and ETA on a terminal; elsewhere (CI, logs, cron) a plain line every
 * few seconds, since a bar's carriage returns make a log unreadable.
 */
export function progressFor(label: string, totalBytes: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? barProgress(label, totalBytes, stream) : lineProgress(label, totalBytes, stream);
}

export const silentProgress: Progress = { update: () => undefined, stop: () => undefined };

function barProgress(label: string, totalBytes: number, stream: NodeJS.WriteStream): Progress {
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {percentage}% | {lines} lignes | {rate} lignes/s | reste {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalBytes, 0, { lines: 0, rate: 0 });
  return {
    update: (bytes, lines) => bar.update(bytes, { lines, rate: Math.round(lines / Math.max((Date.now() - started) / 1000, 0.001)) }),
    stop: () => bar.stop(),
  };
}

function lineProgress(label: string, totalBytes: number, stream: NodeJS.WriteStream, everyMs = 5000): Progress {
  const started = Date.now();
  let last = started;
  return {
    update: (bytes, lines): void => {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      const seconds = (now - started) / 1000;
      const rate = Math.round(lines / seconds);
      const eta = bytes > 0 ? Math.round((seconds * (totalBytes - bytes)) / bytes) : 0;
      const percent = totalBytes > 0 ? Math.floor((100 * bytes) / totalBytes) : 100;
      stream.write(`${label} : ${percent} %, ${lines} lignes, ${rate} lignes/s, reste ~${eta} s\n`);
    },
    stop: () => undefined,
  };
}
