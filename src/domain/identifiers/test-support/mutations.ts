/** Every value obtained by turning one digit of `value` into another digit (letters stay). */
export function oneDigitSubstitutions(value: string): string[] {
  const variants: string[] = [];
  for (const [position, original] of [...value].entries()) {
    if (!/\d/.test(original)) continue;
    for (const digit of '0123456789') {
      if (digit !== original) variants.push(value.slice(0, position) + digit + value.slice(position + 1));
    }
  }
  return variants;
}
