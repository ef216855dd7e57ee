/**
 * A number field's value for the API: blank means "not given" (the server keeps its
 * default or the stored value); anything else is sent as typed, so the server's 400
 * names a wrong value instead of the browser guessing.
 */
export function optionalNumber(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}
