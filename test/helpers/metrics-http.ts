import { expect } from "vitest";
import { callRoute, qs } from "./app-db";

type Get = Parameters<typeof callRoute>[0];
type Params = Record<string, string | number | undefined>;

/** Calls a route and returns its JSON body, expecting 200. */
export async function getJson<T>(
  get: Get,
  path: string,
  params: Params,
  pathParams?: Record<string, string>,
): Promise<T> {
  const res = await callRoute(get, `${path}?${qs(params)}`, pathParams);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as T;
}

/** RFC 4180 lines → cells (quoted cells may hold commas and doubled quotes). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** Calls a route with format=csv and returns the header and the rows as objects of strings. */
export async function getCsv(get: Get, path: string, params: Params, pathParams?: Record<string, string>) {
  const res = await callRoute(get, `${path}?${qs({ ...params, format: "csv" })}`, pathParams);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/csv");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
  const lines = (await res.text()).trimEnd().split("\r\n");
  const header = parseCsvLine(lines[0]);
  const rows = lines.slice(1).map((l) => Object.fromEntries(parseCsvLine(l).map((v, i) => [header[i], v])));
  return { header, rows };
}

/** Histogram percentiles are within 1% of the exact value; 2% leaves room for interpolation. */
export function expectClose(actual: number | null, exact: number, rel = 0.02) {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - exact)).toBeLessThanOrEqual(exact * rel + 0.1);
}
