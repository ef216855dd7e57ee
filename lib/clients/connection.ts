import { and, eq, like, not } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Db } from "@/lib/db/client";
import { clients, type Client } from "@/lib/db/schema";
import { N8nClient, type N8nClientOptions } from "@/lib/n8n";
import { appEncryptionKey } from "@/lib/secrets/app-key";
import { decryptSecret, encryptedKeyId, encryptSecret, isEncrypted, type EncryptionKey } from "@/lib/secrets/encryption";

/**
 * The one place that turns a stored n8n API key back into plain text: to call n8n.
 * Everything else sees the ciphertext column or the 4-character hint.
 */
export function n8nApiKeyOf(client: Pick<Client, "n8nApiKey">, key: EncryptionKey = appEncryptionKey()): string {
  return decryptSecret(client.n8nApiKey, key);
}

export function connectN8n(
  client: Pick<Client, "n8nBaseUrl" | "n8nApiKey">,
  options: Omit<N8nClientOptions, "baseUrl" | "apiKey"> = {},
): N8nClient {
  return new N8nClient({ ...options, baseUrl: client.n8nBaseUrl, apiKey: n8nApiKeyOf(client) });
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
