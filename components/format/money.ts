/**
 * Money at display, the one formatter for USD amounts (costs and prices). Amounts stay
 * exact numbers everywhere else; only here do they become text. Fixed locale so the
 * server render and the browser hydration agree.
 *
 * - $1 and above: 2 decimals ("$1,234.50").
 * - Under $1: at least 2 decimals, and enough more to show 2 significant digits, so a
 *   cheap model's cost is not rounded to "$0.00" ("$0.50", "$0.0042").
 * - Exactly 0: "$0.00" (a real, priced zero).
 * - Under a micro-dollar (the precision costs are stored at): "<$0.000001".
 * - null / undefined: unknown or unpriced, never $0: "—", or the label asked for
 *   (e.g. "Unpriced").
 */

/** Costs are kept in integer micro-dollars; nothing smaller can be meaningful. */
export const SMALLEST_USD = 0.000_001;
const MAX_FRACTION_DIGITS = 6;

const formatters = new Map<number, Intl.NumberFormat>();

function usdFormatter(fractionDigits: number): Intl.NumberFormat {
  let f = formatters.get(fractionDigits);
  if (!f) {
    f = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: "USD",
      minimumFractionDigits: 2,
      maximumFractionDigits: fractionDigits,
    });
    formatters.set(fractionDigits, f);
  }
  return f;
}

/** Decimals needed to show 2 significant digits of an amount under $1 (at least 2). */
export function usdFractionDigits(value: number): number {
  const size = Math.abs(value);
  if (size >= 1 || size === 0) return 2;
  // 0.0042: the first significant digit is the 3rd decimal, so 4 decimals show two.
  // The epsilon keeps exact powers of ten (0.001, where log10 may come out a hair
  // off) on their own decimal.
  const firstDigit = Math.ceil(-Math.log10(size) - 1e-9);
  return Math.min(MAX_FRACTION_DIGITS, Math.max(2, firstDigit + 1));
}

export function formatUsd(value: number | null | undefined, nullLabel = "—"): string {
  if (value == null || !Number.isFinite(value)) return nullLabel;
  if (value !== 0 && Math.abs(value) < SMALLEST_USD) return `${value < 0 ? "-" : ""}<$0.000001`;
  return usdFormatter(usdFractionDigits(value)).format(value);
}
