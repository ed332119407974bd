/** Counts written in words or digits, as people type them in a request ("five", "twenty-one", "12"). */

const UNITS: Record<string, number> = {
  zero: 0,
  none: 0,
  one: 1,
  single: 1,
  two: 2,
  couple: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  dozen: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/**
 * The number at the start of `text` and how many characters it took, or null. Accepts
 * digits ("5", "1,000"), words up to 999 ("five", "twenty one", "two hundred and ten").
 */
export function leadingNumber(text: string): { value: number; length: number } | null {
  const digits = /^(\d{1,3}(?:,\d{3})+|\d+)(?![\d.])/.exec(text);
  if (digits) return { value: Number(digits[1]!.replace(/,/g, '')), length: digits[0].length };
  const words = /^[a-z]+(?:[\s-]+(?:and[\s-]+)?[a-z]+)*/i.exec(text);
  if (!words) return null;
  const parts = words[0].toLowerCase().split(/[\s-]+/);
  let current = 0;
  let used = 0;
  for (const [index, part] of parts.entries()) {
    if (part === 'and' && used > 0 && index + 1 < parts.length) continue;
    if (part === 'a') {
      if (index > 0 || !['dozen', 'couple'].includes(parts[1] ?? '')) break;
      used = 1;
      continue;
    }
    if (part in UNITS && (current % 10 === 0 || current === 0)) current += UNITS[part]!;
    else if (part in TENS && current % 100 === 0) current += TENS[part]!;
    else if (part === 'hundred' && current > 0 && current < 10) current *= 100;
    else if (part === 'of' && used > 0) continue;
    else break;
    used = index + 1;
  }
  if (used === 0) return null;
  const total = current;
  // Length in the original text: the words consumed, with their separators.
  const pattern = new RegExp(`^(?:[a-z]+[\\s-]*){${used}}`, 'i');
  const consumed = (pattern.exec(words[0])?.[0] ?? '').replace(/[\s-]+$/, '').length;
  return { value: total, length: consumed };
}

/** The whole of `text` as a number ("five", "5", "twenty-one"), or null. */
export function parseCount(text: string): number | null {
  const trimmed = text.trim();
  const found = leadingNumber(trimmed);
  return found !== null && found.length === trimmed.length ? found.value : null;
}
