import { FOCUS_RING } from "@/components/ui/focus";

/** The admin forms' shared look; 44 px tall controls stay easy to hit at phone width. */
export const INPUT = `block w-full rounded border border-gray-300 bg-white px-3 py-2 text-sm text-gray-900 aria-[invalid=true]:border-red-600 ${FOCUS_RING}`;
export const LABEL = "block text-sm font-medium text-gray-800";
export const HINT = "mt-1 text-xs text-gray-600";
export const BUTTON_PRIMARY = `inline-flex min-h-10 items-center justify-center rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:opacity-60 ${FOCUS_RING}`;
export const BUTTON_SECONDARY = `inline-flex min-h-10 items-center justify-center rounded border border-gray-300 bg-white px-4 py-2 text-sm font-medium text-gray-800 hover:bg-gray-50 disabled:cursor-not-allowed disabled:opacity-60 ${FOCUS_RING}`;
export const LINK = `rounded text-indigo-700 hover:underline ${FOCUS_RING}`;
export const CARD = "rounded-lg border border-gray-200 bg-white p-4 sm:p-5";
export const ALERT = "rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800";
export const NOTICE = "rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900";
