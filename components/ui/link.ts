import { FOCUS_RING } from "./focus";

/**
 * A link inside text or a table cell. Underlined, not told apart by colour alone: in a
 * line of grey text a coloured word is not enough (axe: link-in-text-block).
 */
export const TEXT_LINK = `rounded text-indigo-700 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-700 ${FOCUS_RING}`;

/** The site header's links, and the sign-out button that sits among them. */
export const NAV_LINK = `rounded px-2 py-1 text-sm text-gray-700 hover:bg-gray-100 ${FOCUS_RING}`;
