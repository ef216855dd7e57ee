import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { clients } from "@/lib/db/schema";
import { createClient, n8nApiKeyOf, reencryptApiKeys, storedApiKey, updateClient } from "@/lib/clients";
import {
  decryptSecret,
  encryptSecret,
  generateEncryptionKey,
  isEncrypted,
  parseEncryptionKey,
  SecretDecryptionError,
} from "@/lib/core/secrets/encryption";
import { createTestDatabase } from "./helpers/db";

const run = promisify(execFile);

describe("AES-256-GCM secrets", () => {
  const key = parseEncryptionKey(generateEncryptionKey());
  const other = parseEncryptionKey(generateEncryptionKey());

  it("round-trips, with a fresh IV each time", () => {
    const a = encryptSecret("n8n_api_0123456789abcdef", key);
    const b = encryptSecret("n8n_api_0123456789abcdef", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("0123456789abcdef");
    expect(isEncrypted(a)).toBe(true);
    expect(decryptSecret(a, key)).toBe("n8n_api_0123456789abcdef");
    expect(decryptSecret(b, key)).toBe("n8n_api_0123456789abcdef");
  });

  it("names the key a value was encrypted under when another key is configured", () => {
    const stored = encryptSecret("secret", key);
    expect(() => decryptSecret(stored, other)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(stored, other)).toThrow(new RegExp(`encrypted under key ${key.id}.*key ${other.id}`));
  });

  it("detects tampering", () => {
    const stored = encryptSecret("secret", key);
    const parts = stored.split(":");
    const ciphertext = Buffer.from(parts[5], "base64url");
    ciphertext[0] ^= 1;
    parts[5] = ciphertext.toString("base64url");
    expect(() => decryptSecret(parts.join(":"), key)).toThrow(/failed authentication/);
  });

  it("accepts 32-byte keys as base64 or hex, and nothing else", () => {
    const hex = "ab".repeat(32);
    expect(parseEncryptionKey(hex).bytes.toString("hex")).toBe(hex);
    expect(parseEncryptionKey(Buffer.from(hex, "hex").toString("base64")).id).toBe(parseEncryptionKey(hex).id);
    for (const bad of ["", "short", "ab".repeat(31), Buffer.alloc(16).toString("base64")]) {
      expect(() => parseEncryptionKey(bad)).toThrow(/32 bytes/);
    }
  });
});

describe("stored n8n API keys", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  it("are stored encrypted with a 4-character hint, and decrypted only to call n8n", async () => {
    const client = await createClient(handle.db, {
      name: "Acme",
      n8nBaseUrl: "http://n8n.test",
      n8nApiKey: "plain-key-1234",
    });
    const [row] = await handle.db.select().from(clients).where(eq(clients.id, client.id));
    expect(row.n8nApiKey).not.toContain("plain-key");
    expect(isEncrypted(row.n8nApiKey)).toBe(true);
    expect(row.n8nApiKeyHint).toBe("1234");
    expect(n8nApiKeyOf(row)).toBe("plain-key-1234");
  });

  it("show no hint of a short key, and keep a key from going to a new address", async () => {
    const short = await createClient(handle.db, {
      name: "Short",
      n8nBaseUrl: "http://n8n.short",
      n8nApiKey: "k-12345",
    });
    expect(short.n8nApiKeyHint).toBe("");
    await expect(updateClient(handle.db, short.id, { n8nBaseUrl: "http://elsewhere.example" })).rejects.toThrow(
      /^n8nApiKey: is required when the n8n URL changes/,
    );
    const moved = await updateClient(handle.db, short.id, {
      n8nBaseUrl: "http://elsewhere.example",
      n8nApiKey: "a-new-key-for-elsewhere",
    });
    expect(moved.n8nBaseUrl).toBe("http://elsewhere.example");
    expect(n8nApiKeyOf(moved)).toBe("a-new-key-for-elsewhere");
    // The same address, or other fields, need no key.
    expect(
      (await updateClient(handle.db, short.id, { n8nBaseUrl: "http://elsewhere.example", name: "Short 2" })).name,
    ).toBe("Short 2");
  });

  it("rotate: re-encrypts every key under the new key in one go; legacy plain keys get encrypted", async () => {
    const oldKey = parseEncryptionKey(generateEncryptionKey());
    const newKey = parseEncryptionKey(generateEncryptionKey());
    const db = handle.db;
    await db.delete(clients);
    const [a] = await db
      .insert(clients)
      .values({ name: "A", slug: "a", n8nBaseUrl: "http://a", ...storedApiKey("key-a-1111", oldKey) })
      .returning();
    const [b] = await db
      .insert(clients)
      .values({ name: "B", slug: "b", n8nBaseUrl: "http://b", n8nApiKey: "legacy-plain-2222" })
      .returning();

    expect(await reencryptApiKeys(db, oldKey, newKey)).toBe(2);
    const rows = await db.select().from(clients);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(n8nApiKeyOf(byId.get(a.id)!, newKey)).toBe("key-a-1111");
    expect(n8nApiKeyOf(byId.get(b.id)!, newKey)).toBe("legacy-plain-2222");
    expect(() => n8nApiKeyOf(byId.get(a.id)!, oldKey)).toThrow(/encrypted under key/);
    expect(byId.get(b.id)!.n8nApiKeyHint).toBe("2222");
  });

  it("rotate with the wrong current key changes nothing", async () => {
    const db = handle.db;
    const before = await db.select().from(clients);
    const wrong = parseEncryptionKey(generateEncryptionKey());
    await expect(reencryptApiKeys(db, wrong, parseEncryptionKey(generateEncryptionKey()))).rejects.toThrow(
      /encrypted under key/,
    );
    expect(await db.select().from(clients)).toEqual(before);
  });
});

describe("one encryption key per store", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  it("refuses to store a key under another encryption key than the stored keys use", async () => {
    const production = parseEncryptionKey(generateEncryptionKey());
    await handle.db.insert(clients).values({
      name: "Prod",
      slug: "prod",
      n8nBaseUrl: "http://prod",
      ...storedApiKey("production-key-5678", production),
    });
    // The test process runs on the development key, as a CLI started without the variable would.
    await expect(
      createClient(handle.db, { name: "New", n8nBaseUrl: "http://new", n8nApiKey: "another-key-0000" }),
    ).rejects.toThrow(
      new RegExp(`encrypted under key ${production.id}, but FLOWSCOPE_ENCRYPTION_KEY is key [0-9a-f]{8}`),
    );
    expect(await handle.db.select({ slug: clients.slug }).from(clients)).toEqual([{ slug: "prod" }]);
  });
});

// The three processes are independent, so they start together. Node with tsx's loader,
// as `npx tsx` runs it, without starting npm and tsx's own CLI process first.
describe.concurrent("start-up", () => {
  const script =
    "import('./lib/jobs/boot/start.ts').then((m) => { m.assertRequiredSecrets(); console.log('secrets ok'); })";
  const base = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    FLOWSCOPE_SCHEDULER: "off",
  } as NodeJS.ProcessEnv;
  const start = (env: NodeJS.ProcessEnv) => run(process.execPath, ["--import", "tsx", "-e", script], { env });

  it("refuses to start in production without FLOWSCOPE_ENCRYPTION_KEY, naming it", async () => {
    const failed = await start(base).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toMatch(/FLOWSCOPE_ENCRYPTION_KEY is required/);
  });

  it("starts in production with both secrets, and in demo mode without them", async () => {
    const withKeys = { ...base, FLOWSCOPE_ENCRYPTION_KEY: generateEncryptionKey(), BETTER_AUTH_SECRET: "x".repeat(40) };
    const [keys, demo] = await Promise.all([start(withKeys), start({ ...base, FLOWSCOPE_DEMO: "1" })]);
    expect(keys.stdout).toContain("secrets ok");
    expect(demo.stdout).toContain("secrets ok");
  });
});
