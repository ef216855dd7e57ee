/** Rows of flat objects as RFC 4180 CSV; the header is the union of keys in first-seen order. */
export function toCsv(rows: ReadonlyArray<Record<string, unknown>>): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return "";
    let text =
      value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
    // Text that a spreadsheet would run as a formula (names come from n8n and the ingest
    // API) gets a leading apostrophe; numbers stay numbers.
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(","), ...rows.map((row) => columns.map((c) => cell(row[c])).join(","))].join("\r\n") + "\r\n";
}
