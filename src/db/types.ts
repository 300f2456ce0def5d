/**
 * Value parsing shared by both drivers: a `date` stays the 'YYYY-MM-DD' string it is
 * (dates of care are dates, not instants), `int8` becomes a number (ids stay far below
 * 2^53), `numeric` stays a string.
 */
export const OID = { int8: 20, date: 1082, numeric: 1700 } as const;

export const valueParsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: (value) => Number(value),
  [OID.date]: (value) => value,
};
