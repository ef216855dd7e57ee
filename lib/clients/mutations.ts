import { eq, sql } from "drizzle-orm";
import { isIP } from "node:net";
import { z } from "zod";
import { privateN8nHostsAllowed } from "@/lib/core/env";
import { refusedClass } from "@/lib/n8n";
import type { Db } from "@/lib/db/database";
import { clients, type Client } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { parseInput } from "@/lib/core/validation";
import { TimeZone } from "@/lib/core/time-zone";
import { storableTimeZone } from "./time-zone";
import { FilterRules, parseFilterRules } from "@/lib/clients/rules";
import { getClientOrThrow } from "./queries";
import { assertStoreUsesKey, storedApiKey } from "./connection";

const HttpUrl = z
  .string()
  .trim()
  .max(2000, "must be at most 2000 characters")
  .url("must be a URL such as https://n8n.example.com")
  .refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://")
  // An address typed as an IP is judged at once; host names are checked when connecting (lib/n8n).
  .superRefine((u, ctx) => {
    // zod runs this after a failed .url() too: that issue is already reported.
    if (!URL.canParse(u)) return;
    const host = new URL(u).hostname.replace(/^\[|\]$/g, "");
    const refused = isIP(host) ? refusedClass(host, privateN8nHostsAllowed) : null;
    if (refused)
      ctx.addIssue({
        code: "custom",
        message: `is a ${refused.replace("_", "-")} address, which Flowscope does not call${refused === "metadata" || refused === "link_local" ? "" : " (set N8N_ALLOW_PRIVATE_HOSTS=true if your n8n runs on your own network)"}`,
      });
  });

export const ClientInput = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase letters, digits and dashes")
    .max(60)
    .optional(),
  n8nBaseUrl: HttpUrl,
  // n8n's keys are JWTs of a few hundred characters; anything near the cap is not one.
  n8nApiKey: z.string().trim().min(1, "must not be empty").max(2000, "must be at most 2000 characters"),
  filterRules: FilterRules.optional(),
  concurrencyLimit: z.number().int().min(1).max(10_000).optional(),
  defaultMinutesSaved: z.number().min(0).max(10_000).optional(),
  active: z.boolean().optional(),
  // Stored as given on create: a new client has no buckets to rebuild. A change goes
  // through setClientTimeZone (lib/jobs/time-zone.ts), never through ClientPatch.
  timeZone: TimeZone.optional().meta({
    description:
      "IANA time zone of the client's day, week and month figures and of its pages, e.g. Europe/Berlin; default UTC.",
  }),
});
export type ClientInput = z.input<typeof ClientInput>;

export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "client"
  );
}

/** The zone a new client is stored with: as the database spells it (time-zone.ts), or the default. */
async function newClientZone(db: Db, zone: string | undefined): Promise<string | undefined> {
  return zone === undefined ? undefined : storableTimeZone(db, zone);
}

function parseClientInput(input: unknown) {
  return parseInput(ClientInput, input, "client");
}

export async function createClient(db: Db, input: unknown): Promise<Client> {
  const data = parseClientInput(input);
  const slug = data.slug ?? slugify(data.name);
  const [existing] = await db.select({ id: clients.id }).from(clients).where(eq(clients.slug, slug));
  if (existing) throw new AppError("conflict", `A client with slug "${slug}" already exists`);
  await assertStoreUsesKey(db);
  const [row] = await db
    .insert(clients)
    .values({
      ...data,
      ...storedApiKey(data.n8nApiKey),
      slug,
      filterRules: data.filterRules ?? {},
      timeZone: await newClientZone(db, data.timeZone),
    })
    .returning();
  return row;
}

/**
 * What an admin may change; the API key only when a new one is given. Not the time zone:
 * a new zone must rebuild the client's day, week and month buckets, so the API, the
 * console and the CLI change it with setClientTimeZone (lib/jobs/time-zone.ts).
 */
export const ClientPatch = ClientInput.omit({ slug: true, filterRules: true, timeZone: true }).partial().strict();

export async function updateClient(db: Db, clientId: number, input: unknown): Promise<Client> {
  const current = await getClientOrThrow(db, clientId);
  const { n8nApiKey, ...rest } = parseInput(ClientPatch, input, "client");
  // The stored key goes only to the address it was given for: a new address needs its key.
  if (rest.n8nBaseUrl !== undefined && rest.n8nBaseUrl !== current.n8nBaseUrl && !n8nApiKey) {
    throw new AppError(
      "bad_request",
      "n8nApiKey: is required when the n8n URL changes (the stored key is never sent to a new address)",
    );
  }
  if (n8nApiKey) await assertStoreUsesKey(db);
  // A new address has not answered like n8n yet: until it does, HTML there means a wrong URL.
  const urlChanged = rest.n8nBaseUrl !== undefined && rest.n8nBaseUrl !== current.n8nBaseUrl;
  const [row] = await db
    .update(clients)
    .set({
      ...rest,
      ...(n8nApiKey ? storedApiKey(n8nApiKey) : {}),
      ...(urlChanged ? { n8nVerifiedAt: null } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(clients.id, clientId))
    .returning();
  return row;
}

/**
 * Creates the client, or updates its connection if the slug exists: how the demo and the
 * N8N_BASE_URL default client are registered at every start without duplicates. A zone
 * given here applies to a new client only: an existing client keeps its zone (and its
 * buckets), whatever the environment says at start.
 */
export async function upsertClientBySlug(db: Db, input: ClientInput & { slug: string }): Promise<Client> {
  const data = parseClientInput(input);
  await assertStoreUsesKey(db);
  const [row] = await db
    .insert(clients)
    .values({
      ...data,
      ...storedApiKey(data.n8nApiKey),
      slug: input.slug,
      filterRules: data.filterRules ?? {},
      timeZone: await newClientZone(db, data.timeZone),
    })
    .onConflictDoUpdate({
      target: clients.slug,
      set: {
        n8nBaseUrl: data.n8nBaseUrl,
        ...storedApiKey(data.n8nApiKey),
        // Set expressions see the row as it was: verification survives only an unchanged URL.
        n8nVerifiedAt: sql`case when ${clients.n8nBaseUrl} = excluded.n8n_base_url then ${clients.n8nVerifiedAt} else null end`,
        active: true,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return row;
}

/** Validates and saves rules; the caller then sends the reclassify event. */
export async function updateClientRules(db: Db, clientId: number, rules: unknown): Promise<FilterRules> {
  await getClientOrThrow(db, clientId);
  const parsed = parseFilterRules(rules);
  await db
    .update(clients)
    .set({ filterRules: parsed, updatedAt: sql`now()` })
    .where(eq(clients.id, clientId));
  return parsed;
}
