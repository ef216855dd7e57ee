import { sql, type SQL } from "drizzle-orm";

/**
 * A constant list of string literals for `in (...)`, from one of the schema's status sets,
 * so SQL and TypeScript read the same set. Only for constants: values are not escaped.
 * Its own module because the schema's partial indexes use it too.
 */
export function sqlLiterals(values: readonly string[]): SQL {
  return sql.raw(values.map((v) => `'${v}'`).join(", "));
}

/**
 * A PostgreSQL array literal (`{a,b,c}`) to pass as one parameter and cast, e.g.
 * `${arrayParam(ids)}::int[]`, instead of one parameter per element. Only for values
 * without commas, braces or quotes: numbers, ISO timestamps, known words.
 */
export function arrayParam(values: ReadonlyArray<string | number>): string {
  return `{${values.join(",")}}`;
}
