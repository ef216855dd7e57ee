import type { DatabaseHandle } from "@/lib/db/client";
import { createTestDatabase } from "./db";

const globalForDb = globalThis as unknown as { flowscopeDb?: Promise<DatabaseHandle> };

/**
 * A fresh test database that the app's `getDb()` also answers with, so route handlers
 * can be called directly. lib/db/client.ts keeps the process handle on globalThis.
 */
export async function openAppTestDatabase(): Promise<DatabaseHandle> {
  const handle = await createTestDatabase();
  globalForDb.flowscopeDb = Promise.resolve(handle);
  return handle;
}

export async function closeAppTestDatabase(handle: DatabaseHandle): Promise<void> {
  globalForDb.flowscopeDb = undefined;
  await handle.close();
}
