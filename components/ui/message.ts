/**
 * Boxes for a message next to a form or panel: what went wrong, or what was done. The
 * caller sets the role (alert, status) or leaves it to a surrounding live region.
 */
export const ALERT = "rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900";
export const SUCCESS = "rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900";
/** A warning: something is off, but nothing was lost or refused (figures kept from before, a partial answer). */
export const WARNING = "rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900";
