/**
 * ARIA for one form field: invalid when the server's message named it, described by its
 * hint and, then, by that message, so a screen reader reads why it was refused.
 */
export function fieldProps<F extends string>(field: F, invalid: F | null, errorId: string, hintId?: string) {
  const describedBy = [hintId, invalid === field ? errorId : undefined].filter(Boolean).join(" ");
  return { "aria-invalid": invalid === field || undefined, "aria-describedby": describedBy || undefined };
}
