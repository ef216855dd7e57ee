import { FOCUS_RING } from "@/components/ui/focus";

/** Shared by the account forms and tables, so both pages look and behave alike. */
export const INPUT = `mt-1 block w-full rounded border border-gray-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-600 ${FOCUS_RING}`;
export const LABEL = "block text-sm font-medium text-gray-800";
export const PRIMARY_BUTTON = `rounded bg-indigo-700 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60 ${FOCUS_RING}`;
export const SECONDARY_BUTTON = `rounded border border-gray-300 bg-white px-3 py-1.5 text-sm font-medium text-gray-800 hover:bg-gray-50 disabled:opacity-60 ${FOCUS_RING}`;
export const DANGER_BUTTON = `rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60 ${FOCUS_RING}`;
export const ALERT = "rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900";
export const SUCCESS = "rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900";
