import { describe, expect, it } from "vitest";
import { toCsv } from "@/lib/api/csv";

describe("toCsv", () => {
  it("quotes per RFC 4180 and defuses text a spreadsheet would run as a formula", () => {
    const csv = toCsv([
      { model: '=HYPERLINK("http://x","y")', workflow: "a, b", tokens: -3, at: new Date("2026-01-02T03:04:05Z") },
      { model: "@SUM(A1)", workflow: "+1", tokens: 0, extra: null },
    ]);
    expect(csv.split("\r\n")).toEqual([
      "model,workflow,tokens,at,extra",
      `"'=HYPERLINK(""http://x"",""y"")","a, b",-3,2026-01-02T03:04:05.000Z,`,
      "'@SUM(A1),'+1,0,,",
      "",
    ]);
  });
});
