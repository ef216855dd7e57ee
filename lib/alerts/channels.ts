/**
 * Where notifications go: a generic webhook, a Slack incoming webhook or email. A
 * channel's target is a credential (a Slack URL posts to the channel; a webhook's signing
 * secret lets a receiver trust what it gets), so it is stored encrypted and only this
 * module reads it back; views carry a hint of the target, never the target itself.
 */
import { randomBytes } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { appEncryptionKey } from "@/lib/core/secrets/app-key";
import { decryptSecret, encryptSecret, isEncrypted, type EncryptionKey } from "@/lib/core/secrets/encryption";
import { parseInput } from "@/lib/core/validation";
import { ALERT_CHANNEL_KINDS, type AlertChannelKind } from "@/lib/core/vocabulary";
import type { Db } from "@/lib/db/database";
import { alertChannels, type AlertChannel } from "@/lib/db/schema";
import { ChannelConfig, ChannelInput, ChannelPatch, targetFieldsOf } from "./channel-input";

export { ChannelConfig, ChannelInput, ChannelPatch };

const IsoTime = z.string().meta({ format: "date-time" });

/** A channel as lists show it: the target as a hint, never a URL or secret. */
export const ChannelView = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(ALERT_CHANNEL_KINDS),
  targetHint: z.string(),
  enabled: z.boolean(),
  /** failing: the last delivery gave up after every retry; untested: nothing delivered or given up yet. */
  health: z.enum(["ok", "failing", "untested"]),
  consecutiveFailures: z.number().int(),
  lastDeliveredAt: IsoTime.nullable(),
  lastFailedAt: IsoTime.nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type ChannelView = z.infer<typeof ChannelView>;

/**
 * A created or changed channel. `signingSecret`: a new webhook channel's secret, or one an
 * update had to choose (the kind became webhook); the only times it is ever shown.
 */
export const SavedChannel = z.object({ channel: ChannelView, signingSecret: z.string().nullable() });
export type SavedChannel = z.infer<typeof SavedChannel>;

export async function createChannel(
  db: Db,
  input: unknown,
  key: EncryptionKey = appEncryptionKey(),
): Promise<SavedChannel> {
  const data = parseInput(ChannelInput, input);
  const config = configOf(data);
  const generated = data.kind === "webhook" && !config.signingSecret ? newSigningSecret() : null;
  if (generated) config.signingSecret = generated;
  const [row] = await db
    .insert(alertChannels)
    .values({ name: data.name, kind: data.kind, enabled: data.enabled, ...storedConfig(data.kind, config, key) })
    .returning();
  // Like an API token: whoever creates a webhook channel needs its secret once, for the receiver.
  return { channel: viewOf(row), signingSecret: data.kind === "webhook" ? (config.signingSecret ?? null) : null };
}

/**
 * Applies a partial change. A new target (URL, recipients, kind) starts the channel's
 * health over: failures of the old target say nothing about the new one.
 */
export async function updateChannel(
  db: Db,
  id: number,
  patch: unknown,
  key: EncryptionKey = appEncryptionKey(),
): Promise<SavedChannel> {
  const change = parseInput(ChannelPatch, patch);
  const row = await channelRow(db, id);
  const kind = change.kind ?? row.kind;
  // A target stored under another encryption key cannot be kept, only replaced: the change
  // must then give it again (validation says which field).
  const current = readableConfig(row, key);
  // Another kind's target fields mean nothing for this one: start from the change alone.
  const kept = kind === row.kind && current ? targetFieldsOf(kind, current) : {};
  const merged = parseInput(ChannelInput, {
    name: change.name ?? row.name,
    kind,
    enabled: change.enabled ?? row.enabled,
    ...kept,
    ...definedTargets(change),
  });
  const config = configOf(merged);
  const generated = kind === "webhook" && !config.signingSecret ? newSigningSecret() : null;
  if (generated) config.signingSecret = generated;
  const targetChanged = kind !== row.kind || !current || !sameTarget(config, current);
  const [updated] = await db
    .update(alertChannels)
    .set({
      name: merged.name,
      kind,
      enabled: merged.enabled,
      ...(targetChanged
        ? {
            ...storedConfig(kind, config, key),
            consecutiveFailures: 0,
            lastDeliveredAt: null,
            lastFailedAt: null,
            lastError: null,
          }
        : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(alertChannels.id, id))
    .returning();
  if (!updated) throw notFound(id);
  return { channel: viewOf(updated), signingSecret: generated };
}

/** Deletes a channel with its delivery history (the queue's rows cascade). */
export async function deleteChannel(db: Db, id: number): Promise<void> {
  const deleted = await db.delete(alertChannels).where(eq(alertChannels.id, id)).returning({ id: alertChannels.id });
  if (deleted.length === 0) throw notFound(id);
}

export async function listChannels(db: Db): Promise<ChannelView[]> {
  const rows = await db.select().from(alertChannels).orderBy(asc(alertChannels.name), asc(alertChannels.id));
  return rows.map(viewOf);
}

export async function getChannelView(db: Db, id: number): Promise<ChannelView> {
  return viewOf(await channelRow(db, id));
}

/** The one place a channel's target is decrypted: for the senders, and for updates. */
export function channelConfig(
  row: Pick<AlertChannel, "config">,
  key: EncryptionKey = appEncryptionKey(),
): ChannelConfig {
  return ChannelConfig.parse(JSON.parse(decryptSecret(row.config, key)));
}

/**
 * Re-encrypts every channel's target from one key to another (`flowscope rotate-key`
 * must run it beside the n8n keys' rotation), in one transaction. Returns the rows rewritten.
 */
export async function reencryptChannelConfigs(db: Db, from: EncryptionKey, to: EncryptionKey): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.select({ id: alertChannels.id, config: alertChannels.config }).from(alertChannels);
    for (const row of rows) {
      const plain = isEncrypted(row.config) ? decryptSecret(row.config, from) : row.config;
      await tx
        .update(alertChannels)
        .set({ config: encryptSecret(plain, to) })
        .where(eq(alertChannels.id, row.id));
    }
    return rows.length;
  });
}

function readableConfig(row: AlertChannel, key: EncryptionKey): ChannelConfig | null {
  try {
    return channelConfig(row, key);
  } catch {
    return null;
  }
}

function sameTarget(a: ChannelConfig, b: ChannelConfig): boolean {
  return a.url === b.url && a.signingSecret === b.signingSecret && (a.to ?? []).join("\n") === (b.to ?? []).join("\n");
}

export function newSigningSecret(): string {
  return randomBytes(32).toString("hex");
}

async function channelRow(db: Db, id: number): Promise<AlertChannel> {
  const [row] = await db.select().from(alertChannels).where(eq(alertChannels.id, id));
  if (!row) throw notFound(id);
  return row;
}

const notFound = (id: number) => new AppError("not_found", `Alert channel ${id} does not exist`);

function configOf(data: Pick<ChannelInput, "url" | "signingSecret" | "to">): ChannelConfig {
  const config: ChannelConfig = {};
  if (data.url !== undefined) config.url = data.url;
  if (data.signingSecret !== undefined) config.signingSecret = data.signingSecret;
  if (data.to !== undefined) config.to = dedupe(data.to);
  return config;
}

function definedTargets(change: ChannelPatch): ChannelConfig {
  const { url, signingSecret, to } = change;
  return configOf({ url, signingSecret, to });
}

function dedupe(addresses: string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const k = a.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function storedConfig(kind: AlertChannelKind, config: ChannelConfig, key: EncryptionKey) {
  return { config: encryptSecret(JSON.stringify(config), key), targetHint: targetHint(kind, config) };
}

/**
 * What pages show of a target. A Slack URL's path is its credential and a webhook's may be
 * one: only the host and the path's last 4 characters, and not even those of a short path.
 */
export function targetHint(kind: AlertChannelKind, config: ChannelConfig): string {
  if (kind === "email") return (config.to ?? []).join(", ");
  if (!config.url) return "";
  const url = new URL(config.url);
  const base = kind === "slack" ? url.host : url.origin;
  const rest = `${url.pathname}${url.search}`.replace(/^\/+|\/+$/g, "");
  if (!rest) return base;
  return rest.length > 8 ? `${base}/…/${rest.slice(-4)}` : `${base}/…`;
}

function viewOf(row: AlertChannel): ChannelView {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    targetHint: row.targetHint,
    enabled: row.enabled,
    health: row.consecutiveFailures > 0 ? "failing" : row.lastDeliveredAt ? "ok" : "untested",
    consecutiveFailures: row.consecutiveFailures,
    lastDeliveredAt: iso(row.lastDeliveredAt),
    lastFailedAt: iso(row.lastFailedAt),
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
