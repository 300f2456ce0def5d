import type { Database } from '../../db/database.js';
import { DAY_MS, todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { payDay, type PayDayOptions } from './pay-day.js';

export interface PaymentSchedule {
  stop(): void;
}

/** The next instant at `minuteOfDay` (UTC) strictly after `now`. */
export function nextRunAt(now: Date, minuteOfDay: number): Date {
  const today = Date.parse(todayUtc(now)) + minuteOfDay * 60_000;
  return new Date(today > now.getTime() ? today : today + DAY_MS);
}

/**
 * The server's daily payment run (REMPART_PAYMENT_RUN_AT): today's run at the configured
 * UTC minute, and at start when that minute has already passed today (a server down at the
 * hour pays on its return; a run already made is only found again, and its file rewritten
 * with the same bytes). A failed run is logged and tried again the next day, or at the next
 * start; the command pays a day by hand meanwhile. Runs never overlap: the next one is
 * scheduled once the previous has ended.
 */
export function startPaymentSchedule(db: Database, minuteOfDay: number, options: PayDayOptions, log: (line: string) => void): PaymentSchedule {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const runNow = async (): Promise<void> => {
    const now = new Date();
    try {
      const report = await payDay(db, todayUtc(now), now, options);
      log(`paiements du ${report.runDate} : ${report.created ? 'faits' : 'déjà faits'}, ${report.transfers} virements, ${report.invoices} factures, fichier ${report.file ?? 'aucun'}`);
    } catch (error) {
      const what = error instanceof RempartError ? `${error.code} ${error.message}` : String(error);
      log(`paiements du ${todayUtc(now)} en échec : ${what}`);
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    const delay = nextRunAt(new Date(), minuteOfDay).getTime() - Date.now();
    timer = setTimeout(() => void runNow().then(schedule), delay);
    timer.unref();
  };
  const startedAt = new Date();
  if (startedAt.getTime() >= Date.parse(todayUtc(startedAt)) + minuteOfDay * 60_000) void runNow().then(schedule);
  else schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
