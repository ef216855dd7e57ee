import { getDb, type Db } from "@/lib/db/client";

/**
 * How Inngest functions reach the database. In the app this is the process-wide
 * `getDb()`. Tests point it at their own throw-away database with `setJobDbForTests`,
 * because InngestTestEngine runs a function exactly as imported and offers no way to
 * inject arguments, and the process-wide handle would open (and lock) ./.data.
 */
let override: Db | null = null;

export function jobDb(): Promise<Db> {
  return override ? Promise.resolve(override) : getDb();
}

export function setJobDbForTests(db: Db | null): void {
  override = db;
}
