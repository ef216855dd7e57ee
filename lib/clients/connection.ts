import { and, eq, like, not, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import type { Db } from "@/lib/db/database";
import { clients, type Client } from "@/lib/db/schema";
import { N8nClient, type N8nClientOptions } from "@/lib/n8n";
import { appEncryptionKey } from "@/lib/core/secrets/app-key";
import {
  decryptSecret,
  encryptedKeyId,
  encryptSecret,
  isEncrypted,
  type EncryptionKey,
} from "@/lib/core/secrets/encryption";

/**
 * The one place that turns a stored n8n API key back into plain text: to call n8n.
 * Everything else sees the ciphertext column or the 4-character hint.
 */
export function n8nApiKeyOf(client: Pick<Client, "n8nApiKey">, key: EncryptionKey = appEncryptionKey()): string {
  return decryptSecret(client.n8nApiKey, key);
}

export interface ConnectOptions extends Omit<N8nClientOptions, "baseUrl" | "apiKey" | "verified" | "onVerified"> {
  /** Where to remember that the client's URL answered like n8n (clients.n8n_verified_at). */
  db?: Db;
}

/**
 * The n8n client of a stored client. A URL that answered like n8n before is trusted
 * (an HTML page is then a proxy's hiccup, not a wrong URL); with `db`, the first answer
 * of a URL not yet trusted is remembered for the next syncs.
 */
export function connectN8n(
  client: Pick<Client, "n8nBaseUrl" | "n8nApiKey"> & Partial<Pick<Client, "id" | "n8nVerifiedAt">>,
  options: ConnectOptions = {},
): N8nClient {
  const { db, ...rest } = options;
  const { id } = client;
  return new N8nClient({
    ...rest,
    baseUrl: client.n8nBaseUrl,
    apiKey: n8nApiKeyOf(client),
    verified: client.n8nVerifiedAt != null,
    onVerified: db && id !== undefined ? () => void markVerified(db, id, client.n8nBaseUrl) : undefined,
  });
}

/**
 * Remembers that the URL answered like n8n. Only while it is still the client's URL (an
 * admin may have changed it during the sync). Bookkeeping: a failure is logged, never
 * the caller's problem, so nothing awaits it.
 */
async function markVerified(db: Db, clientId: number, baseUrl: string): Promise<void> {
  try {
    await db
      .update(clients)
      .set({ n8nVerifiedAt: sql`now()` })
      .where(and(eq(clients.id, clientId), eq(clients.n8nBaseUrl, baseUrl)));
  } catch (err) {
    console.warn(
      `[clients] could not record that client ${clientId}'s n8n answered: ${err instanceof Error ? err.message.split("\n")[0].slice(0, 200) : String(err)}`,
    );
  }
}

/**
 * Refuses to store a key under an encryption key other than the one the stored keys use:
 * a CLI or server started without FLOWSCOPE_ENCRYPTION_KEY (on the development key)
 * would otherwise write keys that production can never read, and that block rotation.
 */
export async function assertStoreUsesKey(db: Db, key: EncryptionKey = appEncryptionKey()): Promise<void> {
  const [row] = await db
    .select({ n8nApiKey: clients.n8nApiKey })
    .from(clients)
    .where(and(like(clients.n8nApiKey, "enc:v1:%"), not(like(clients.n8nApiKey, `enc:v1:${key.id}:%`))))
    .limit(1);
  if (row) {
    throw new AppError(
      "conflict",
      `Stored n8n keys are encrypted under key ${encryptedKeyId(row.n8nApiKey)}, but FLOWSCOPE_ENCRYPTION_KEY is key ${key.id}: start with the key they use (or rotate them to this one first)`,
    );
  }
}

/** Column values for a new or changed key: ciphertext plus the hint shown in the UI. */
export function storedApiKey(plain: string, key: EncryptionKey = appEncryptionKey()) {
  // A hint of a short key would be most of the key: such keys get none.
  return { n8nApiKey: encryptSecret(plain, key), n8nApiKeyHint: plain.length >= 12 ? plain.slice(-4) : "" };
}

/**
 * Re-encrypts every stored key from one encryption key to another, in one transaction so
 * a failure leaves all keys readable under the old one. Keys still in plain text (from
 * before encryption existed) are encrypted too. Returns how many rows were rewritten.
 */
export async function reencryptApiKeys(db: Db, from: EncryptionKey | null, to: EncryptionKey): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.select({ id: clients.id, n8nApiKey: clients.n8nApiKey }).from(clients);
    let changed = 0;
    for (const row of rows) {
      const encrypted = isEncrypted(row.n8nApiKey);
      if (encrypted && !from) continue;
      const plain = encrypted && from ? decryptSecret(row.n8nApiKey, from) : row.n8nApiKey;
      await tx.update(clients).set(storedApiKey(plain, to)).where(eq(clients.id, row.id));
      changed++;
    }
    return changed;
  });
}
