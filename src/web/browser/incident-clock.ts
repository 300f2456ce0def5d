/** The 72-hour clock in words, shared by the incidents' list and an incident's page. */
export interface Clock { detecteLe: string; notifierAvant: string; minutesRestantes: number; echeanceDepassee: boolean }

const span = (minutes: number): string => `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;

/** « reste 70 h 05 min », or « en retard de 2 h 10 min » once the deadline passed (minutes below zero). */
export const clockWords = (minutes: number): string => (minutes >= 0 ? `reste ${span(minutes)}` : `en retard de ${span(-minutes)}`);
