/** A white panel around a form or a section of a page. */
export const CARD = "rounded-lg border border-gray-200 bg-white p-4 sm:p-5";
