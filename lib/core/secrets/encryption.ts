import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for secrets stored in the database (n8n API keys). A stored value reads
 * `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts). The key id is a short
 * fingerprint of the key, so a value encrypted under another key fails with a message
 * that says so instead of a bare authentication error.
 */
const PREFIX = "enc:v1:";
const IV_BYTES = 12;

export interface EncryptionKey {
  id: string;
  bytes: Buffer;
}

/** Accepts 32 bytes as base64 / base64url (43–44 characters) or as 64 hex characters. */
export function parseEncryptionKey(text: string): EncryptionKey {
  const trimmed = text.trim();
  let bytes: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) bytes = Buffer.from(trimmed, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) bytes = Buffer.from(trimmed, "base64");
  if (!bytes || bytes.length !== 32) {
    throw new Error(
      "FLOWSCOPE_ENCRYPTION_KEY must be 32 bytes, as base64 or 64 hex characters (openssl rand -base64 32)",
    );
  }
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

/** A fresh random key, in the text form `parseEncryptionKey` reads. */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString("base64");
}

export function isEncrypted(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** The fingerprint of the key a stored value was encrypted under, or null for plain text. */
export function encryptedKeyId(stored: string): string | null {
  return isEncrypted(stored) ? stored.slice(PREFIX.length).split(":")[0] : null;
}

export function encryptSecret(plain: string, key: EncryptionKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return (
    PREFIX + [key.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(":")
  );
}

export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptionError";
  }
}

export function decryptSecret(stored: string, key: EncryptionKey): string {
  if (!isEncrypted(stored)) throw new SecretDecryptionError("the stored secret is not encrypted");
  const [keyId, iv, tag, ciphertext] = stored.slice(PREFIX.length).split(":");
  if (!ciphertext) throw new SecretDecryptionError("the stored secret is malformed");
  if (keyId !== key.id) {
    throw new SecretDecryptionError(
      `the stored secret was encrypted under key ${keyId}, but FLOWSCOPE_ENCRYPTION_KEY is key ${key.id}; run "flowscope rotate-key"`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError("the stored secret failed authentication (tampered, or another key)");
  }
}
