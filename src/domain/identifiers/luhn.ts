/**
 * The Luhn (mod 10) check shared by RPPS, SIREN, SIRET and FINESS. Inputs are strings of
 * ASCII digits: callers validate the characters first, so that leading zeros survive.
 */

function luhnSum(digits: string, doubleRightmost: boolean): number {
  let sum = 0;
  for (let fromRight = 0; fromRight < digits.length; fromRight += 1) {
    const digit = digits.charCodeAt(digits.length - 1 - fromRight) - 48;
    const doubled = (fromRight % 2 === 0) === doubleRightmost;
    sum += doubled ? doubleDigit(digit) : digit;
  }
  return sum;
}

function doubleDigit(digit: number): number {
  const twice = digit * 2;
  return twice > 9 ? twice - 9 : twice;
}

/** True when the last digit of `digits` is the Luhn check digit of the others. */
export function isLuhnValid(digits: string): boolean {
  return luhnSum(digits, false) % 10 === 0;
}

/** The digit to append to `payload` so that the whole passes `isLuhnValid`. */
export function luhnCheckDigit(payload: string): string {
  // Once the check digit is appended, the payload's rightmost digit sits in a doubled position.
  return String((10 - (luhnSum(payload, true) % 10)) % 10);
}
