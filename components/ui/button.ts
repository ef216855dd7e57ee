import { FOCUS_RING } from "./focus";

export type ButtonVariant = "primary" | "secondary" | "danger";
/** "md" is at least 40 px tall, easy to hit at phone width; "sm" fits table rows and toolbars. */
export type ButtonSize = "md" | "sm";

const BASE = `inline-flex items-center justify-center rounded border text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60 ${FOCUS_RING}`;

/** White on indigo-700 and red-700: above 4.5:1 contrast, also on hover. */
const VARIANTS: Record<ButtonVariant, string> = {
  primary: "border-transparent bg-indigo-700 text-white hover:bg-indigo-800",
  secondary: "border-gray-300 bg-white text-gray-800 hover:bg-gray-50",
  danger: "border-transparent bg-red-700 text-white hover:bg-red-800",
};

const SIZES: Record<ButtonSize, string> = {
  md: "min-h-10 px-4 py-2",
  sm: "px-3 py-1.5",
};

/**
 * The one button look, for <button> and for links that act as buttons. Add layout
 * classes (w-full, mt-2) after it; the colours and the focus ring come from here.
 */
export function buttonClass(variant: ButtonVariant = "primary", size: ButtonSize = "md"): string {
  return `${BASE} ${SIZES[size]} ${VARIANTS[variant]}`;
}
