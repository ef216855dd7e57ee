/** The one visible focus style, so keyboard users see where they are on every control. */
export const FOCUS_RING =
  "focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 focus-visible:ring-offset-2";
