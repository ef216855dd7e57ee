import { FOCUS_RING } from "./focus";

/** A link inside text or a table cell. */
export const TEXT_LINK = `rounded text-indigo-700 hover:underline ${FOCUS_RING}`;

/** The site header's links, and the sign-out button that sits among them. */
export const NAV_LINK = `rounded px-2 py-1 text-sm text-gray-700 hover:bg-gray-100 ${FOCUS_RING}`;
