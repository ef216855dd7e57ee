import { createHash } from "node:crypto";
import { env, insecureDefaultsAllowed } from "@/lib/core/env";
import { parseEncryptionKey, type EncryptionKey } from "./encryption";

/**
 * A fixed, publicly known key for demo and development only: it keeps `npm run demo`
 * a single command. Production refuses to start without FLOWSCOPE_ENCRYPTION_KEY.
 */
const INSECURE_DEV_KEY = createHash("sha256").update("flowscope insecure development key").digest("hex");

let cached: EncryptionKey | undefined;

/** The key that encrypts n8n API keys, from FLOWSCOPE_ENCRYPTION_KEY. */
export function appEncryptionKey(): EncryptionKey {
  if (cached) return cached;
  if (env.FLOWSCOPE_ENCRYPTION_KEY) return (cached = parseEncryptionKey(env.FLOWSCOPE_ENCRYPTION_KEY));
  if (!insecureDefaultsAllowed) {
    throw new Error(
      "FLOWSCOPE_ENCRYPTION_KEY is required outside demo and development (generate one: openssl rand -base64 32)",
    );
  }
  return (cached = parseEncryptionKey(INSECURE_DEV_KEY));
}
