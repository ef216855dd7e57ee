import { describe, expect, it } from "vitest";
import { safeNextPath, signInPath } from "@/lib/accounts/next-path";

describe("the page to return to after sign-in", () => {
  it.each([
    ["/clients/demo-agency/latency?timeframe=30d", "/clients/demo-agency/latency?timeframe=30d"],
    ["/admin/clients/3", "/admin/clients/3"],
    ["/", "/"],
    ["/clients/a/../b", "/clients/b"],
  ])("keeps the path %s", (raw, kept) => {
    expect(safeNextPath(raw)).toBe(kept);
  });

  it.each([
    "//evil.example/x",
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/./\\evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "clients/x",
    "/sign-in",
    "/sign-in?next=/x",
    "/api/v1/metrics/all",
    "/clients/x\n",
    "/\u0000",
    `/${"a".repeat(3000)}`,
    "",
    null,
    undefined,
  ])("refuses %j", (raw) => {
    expect(safeNextPath(raw)).toBeNull();
  });

  it("asks sign-in for the page, and for nothing when it is the home page or unsafe", () => {
    expect(signInPath("/clients/demo-agency?timeframe=30d")).toBe(
      "/sign-in?next=%2Fclients%2Fdemo-agency%3Ftimeframe%3D30d",
    );
    expect(signInPath("/")).toBe("/sign-in");
    expect(signInPath("//evil.example")).toBe("/sign-in");
  });
});
