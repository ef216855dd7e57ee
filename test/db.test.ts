import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/lib/db/database";
import { clients } from "@/lib/db/schema";
import { createTestDatabase } from "./helpers/db";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe("database", () => {
  it("applies the migrations and answers in UTC", async () => {
    const [row] = await queryRows<{ tz: string }>(handle.db, sql`select current_setting('TimeZone') as tz`);
    expect(row.tz).toBe("UTC");
    const inserted = await handle.db
      .insert(clients)
      .values({ name: "A", slug: "a", n8nBaseUrl: "http://x", n8nApiKey: "k" })
      .returning({ id: clients.id });
    expect(inserted[0].id).toBeGreaterThan(0);
  });
});
