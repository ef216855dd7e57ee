import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { alertChannels, alertDeliveryAttempts, alertNotifications, alertRules, alerts } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { appEncryptionKey } from "@/lib/core/secrets/app-key";
import { encryptSecret, generateEncryptionKey, parseEncryptionKey } from "@/lib/core/secrets/encryption";
import {
  channelConfig,
  createChannel,
  deleteChannel,
  getChannelView,
  listChannels,
  reencryptChannelConfigs,
  updateChannel,
} from "@/lib/alerts/channels";
import { buildAlertMessage, buildTestMessage, publicBaseUrl, type AlertMessageInput } from "@/lib/alerts/message";
import {
  deliverDue,
  MAX_ATTEMPTS,
  queueNotifications,
  retryDelayMs,
  sendTestNotification,
} from "@/lib/alerts/delivery/queue";
import { listDeliveries } from "@/lib/alerts/delivery/deliveries";
import { sendSlack } from "@/lib/alerts/delivery/slack";
import { sendEmail } from "@/lib/alerts/delivery/email";
import { sendWebhook } from "@/lib/alerts/delivery/webhook";
import { createTestDatabase } from "./helpers/db";
import { createClient } from "./helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await handle.close();
});
// Deleting the channels deletes their queued rows: no test's leftovers are due in the next.
afterEach(async () => {
  await handle.db.delete(alertChannels);
});

/** Private addresses are explicit here, whatever ALERT_ALLOW_PRIVATE_HOSTS the shell has. */
const local = { allowPrivateHosts: true, timeoutMs: 5_000 };
const T0 = new Date("2025-03-30T12:05:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

const servers: Array<{ close(): Promise<void> }> = [];

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A real HTTP receiver on 127.0.0.1; `answer` picks each reply from the request number (1-based). */
async function receiver(answer: (n: number, body: string) => { status: number; body?: string; delayMs?: number }) {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const reply = answer(requests.length + 1, body);
      requests.push({ headers: req.headers, body, status: reply.status });
      setTimeout(
        () => res.writeHead(reply.status, { "content-type": "text/plain" }).end(reply.body ?? ""),
        reply.delayMs ?? 0,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Every connection: a keep-alive one, or the slow receiver's, would hold the close.
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  servers.push({ close });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/flowscope-7f3a9c`, port, requests };
}

/** What a receiver does with a delivery: recompute the signature over the raw body, in constant time. */
function verifySignature(secret: string, headers: IncomingHttpHeaders, rawBody: string): boolean {
  const timestamp = String(headers["x-flowscope-timestamp"]);
  const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
  const given = Buffer.from(String(headers["x-flowscope-signature"]));
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

const baseInput: AlertMessageInput = {
  kind: "firing",
  alert: {
    id: 41,
    state: "firing",
    summary: "Failure rate 23.5% over 1 h (40 runs)",
    value: 23.456,
    threshold: 10,
    startedAt: new Date("2025-03-30T12:05:00Z"),
    firedAt: new Date("2025-03-30T12:10:00Z"),
    endedAt: null,
  },
  rule: { id: 7, name: "Failure rate above 10%", kind: "failure_rate", severity: "critical", labels: { team: "ops" } },
  client: { id: 3, name: "Acme", slug: "acme", timeZone: "Europe/Berlin" },
  workflow: null,
  linkPath: "/clients/acme/runs?status=failed&from=2025-03-30T11:10:00Z",
};
const BASE = "https://flowscope.example.com";
const firing = (overrides: Partial<AlertMessageInput> = {}) =>
  buildAlertMessage({ ...baseInput, ...overrides }, { baseUrl: BASE });

async function webhookChannel(url: string, name = "Ops webhook") {
  const { channel, signingSecret } = await createChannel(handle.db, { name, kind: "webhook", url });
  return { id: channel.id, secret: signingSecret as string };
}

async function attemptsOf(notificationId: number) {
  return handle.db
    .select()
    .from(alertDeliveryAttempts)
    .where(eq(alertDeliveryAttempts.notificationId, notificationId))
    .orderBy(alertDeliveryAttempts.at);
}

async function notificationsOf(channelId: number) {
  return handle.db.select().from(alertNotifications).where(eq(alertNotifications.channelId, channelId));
}

describe("alert messages", () => {
  it("title, figure and times in the client's zone, an absolute link", () => {
    const m = firing({ workflow: { id: 12, name: "Order sync" } });
    expect(m.title).toBe("[FIRING] critical · Acme · Order sync · Failure rate above 10%");
    expect(m.text).toBe("Failure rate 23.5% over 1 h (40 runs)");
    expect(m.figure).toBe("23.46 (threshold 10)");
    // Europe/Berlin is on summer time (UTC+2) from 01:00 UTC that day.
    expect(m.times).toEqual({
      timeZone: "Europe/Berlin",
      startedAt: "2025-03-30 14:05",
      firedAt: "2025-03-30 14:10",
      endedAt: null,
    });
    expect(m.alert?.startedAt).toBe("2025-03-30T12:05:00.000Z");
    expect(m.url).toBe(`${BASE}/clients/acme/runs?status=failed&from=2025-03-30T11:10:00Z`);
    expect(buildAlertMessage({ ...baseInput, kind: "resolved" }, { baseUrl: `${BASE}/` }).title).toMatch(
      /^\[RESOLVED\] /,
    );
    expect(buildTestMessage("Ops").url).toBe(`${publicBaseUrl()}/admin/alerts`);
    expect(buildTestMessage("Ops")).toMatchObject({ kind: "test", alert: null, rule: null, client: null });
  });
});

describe("alert channels", () => {
  it("stores targets encrypted, shows hints, and hands out a generated signing secret once", async () => {
    const { db } = handle;
    const created = await createChannel(db, {
      name: "Ops webhook",
      kind: "webhook",
      url: "https://hooks.example.com/services/T0001/B0002/XyZsecretPath",
    });
    expect(created.signingSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.channel).toMatchObject({
      name: "Ops webhook",
      kind: "webhook",
      targetHint: "https://hooks.example.com/…/Path",
      enabled: true,
      health: "untested",
      consecutiveFailures: 0,
      lastDeliveredAt: null,
    });
    const slack = await createChannel(db, {
      name: "Slack",
      kind: "slack",
      url: "https://hooks.slack.com/services/T000/B000/a1b2c3d4e5f6",
    });
    expect(slack.signingSecret).toBeNull();
    expect(slack.channel.targetHint).toBe("hooks.slack.com/…/e5f6");
    const email = await createChannel(db, {
      name: "On call",
      kind: "email",
      to: ["a@example.com", "A@example.com", "b@example.com"],
    });
    expect(email.channel.targetHint).toBe("a@example.com, b@example.com");

    const listed = JSON.stringify(await listChannels(db));
    for (const secret of [created.signingSecret as string, "XyZsecretPath", "a1b2c3d4e5f6"])
      expect(listed).not.toContain(secret);
    const rows = await db.select().from(alertChannels);
    for (const row of rows) {
      expect(row.config).toMatch(/^enc:v1:/);
      expect(row.config).not.toContain("example.com");
      expect(row.config).not.toContain(created.signingSecret);
    }
    const webhookRow = rows.find((r) => r.id === created.channel.id);
    const target = {
      url: "https://hooks.example.com/services/T0001/B0002/XyZsecretPath",
      signingSecret: created.signingSecret,
    };
    expect(channelConfig(webhookRow!)).toEqual(target);

    // Key rotation carries the targets over to the new key.
    const next = parseEncryptionKey(generateEncryptionKey());
    expect(await reencryptChannelConfigs(db, appEncryptionKey(), next)).toBe(3);
    const [rotated] = await db.select().from(alertChannels).where(eq(alertChannels.id, created.channel.id));
    expect(rotated.config).toMatch(new RegExp(`^enc:v1:${next.id}:`));
    expect(channelConfig(rotated, next)).toEqual(target);
    expect(() => channelConfig(rotated)).toThrow(/was encrypted under key/);
  });

  it("validation names the field", async () => {
    const { db } = handle;
    const refused = async (input: unknown) => {
      const err = await createChannel(db, input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("bad_request");
      return (err as AppError).message;
    };
    expect(await refused({ name: "S", kind: "slack", url: "http://hooks.slack.com/services/x" })).toBe(
      "url: must be an https URL",
    );
    expect(await refused({ name: "W", kind: "webhook", url: "ftp://example.com/x" })).toBe(
      "url: must be an http or https URL",
    );
    expect(await refused({ name: "W", kind: "webhook" })).toBe("url: is required for a webhook channel");
    expect(await refused({ name: "W", kind: "webhook", url: "https://u:p@example.com/" })).toBe(
      "url: must not contain a user name or password",
    );
    expect(await refused({ name: "W", kind: "webhook", url: "http://169.254.169.254/latest" })).toBe(
      "url: is a metadata address, which Flowscope does not send to",
    );
    expect(await refused({ name: "W", kind: "webhook", url: "https://e.com/h", to: ["a@b.co"] })).toBe(
      "to: is not used by webhook channels",
    );
    expect(await refused({ name: "W", kind: "webhook", url: "https://e.com/h", signingSecret: "short" })).toBe(
      "signingSecret: must be at least 16 characters",
    );
    expect(await refused({ name: "E", kind: "email", to: [] })).toBe("to: needs at least one address");
    expect(await refused({ name: "E", kind: "email", to: ["not-an-address"] })).toBe("to.0: must be an email address");
    const many = Array.from({ length: 21 }, (_, i) => `p${i}@example.com`);
    expect(await refused({ name: "E", kind: "email", to: many })).toBe("to: takes at most 20 addresses");
    expect(await refused({ name: "", kind: "email", to: ["a@b.co"] })).toBe("name: is required");
    expect(await refused({ name: "E", kind: "sms", to: ["a@b.co"] })).toBe(
      "kind: must be one of webhook, slack, email",
    );
    expect(await refused({ name: "E", kind: "email", to: ["a@b.co"], extra: 1 })).toMatch(/^body: .*extra/);
  });

  it("an update keeps omitted secrets, a new target starts the health over, kind changes need their own target", async () => {
    const { db } = handle;
    const { id, secret } = await webhookChannel("https://example.com/hooks/one-two-three");
    await db
      .update(alertChannels)
      .set({ consecutiveFailures: 2, lastError: "HTTP 500" })
      .where(eq(alertChannels.id, id));

    const renamed = await updateChannel(db, id, { name: "Renamed" });
    expect(renamed.signingSecret).toBeNull();
    expect(renamed.channel).toMatchObject({ name: "Renamed", health: "failing", consecutiveFailures: 2 });
    const [row] = await db.select().from(alertChannels).where(eq(alertChannels.id, id));
    expect(channelConfig(row)).toEqual({ url: "https://example.com/hooks/one-two-three", signingSecret: secret });

    const moved = await updateChannel(db, id, { url: "https://example.org/other-hook-path" });
    expect(moved.channel).toMatchObject({ health: "untested", consecutiveFailures: 0, lastError: null });
    const [after] = await db.select().from(alertChannels).where(eq(alertChannels.id, id));
    expect(channelConfig(after)).toEqual({ url: "https://example.org/other-hook-path", signingSecret: secret });

    await expect(updateChannel(db, id, { kind: "email" })).rejects.toThrow("to: is required for an email channel");
    await expect(updateChannel(db, id, { to: ["a@b.co"] })).rejects.toThrow("to: is not used by webhook channels");
    const email = await updateChannel(db, id, { kind: "email", to: ["ops@example.com"] });
    expect(email.channel).toMatchObject({ kind: "email", targetHint: "ops@example.com" });
    const back = await updateChannel(db, id, { kind: "webhook", url: "https://example.com/h" });
    expect(back.signingSecret).toMatch(/^[0-9a-f]{64}$/);

    await deleteChannel(db, id);
    const missing = await getChannelView(db, id).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: "not_found", message: `Alert channel ${id} does not exist` });
  });
});

describe("delivery", () => {
  it("a webhook receiver gets the signed JSON body once; the attempt and the channel's health are recorded", async () => {
    const { db } = handle;
    const hook = await receiver(() => ({ status: 204 }));
    const { id: channelId, secret } = await webhookChannel(hook.url);
    const client = await createClient(db, { timeZone: "Europe/Berlin" });
    const [rule] = await db
      .insert(alertRules)
      .values({
        name: "Failure rate above 10%",
        kind: "failure_rate",
        clientId: client.id,
        params: { kind: "failure_rate" },
      })
      .returning();
    const [alert] = await db
      .insert(alerts)
      .values({
        ruleId: rule.id,
        clientId: client.id,
        subject: `client:${client.id}`,
        state: "firing",
        summary: baseInput.alert.summary,
        startedAt: T0,
        lastEvaluatedAt: T0,
      })
      .returning();
    const message = firing({ alert: { ...baseInput.alert, id: alert.id } });

    const queued = await db.transaction((tx) =>
      queueNotifications(tx, { alertId: alert.id, kind: "firing", message, channelIds: [channelId, channelId] }, T0),
    );
    expect(queued).toBe(1);
    expect(await deliverDue(db, { now: at(1_000), senders: local })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(await deliverDue(db, { now: at(600_000), senders: local })).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 0,
    });

    expect(hook.requests).toHaveLength(1);
    const [request] = hook.requests;
    expect(request.headers["content-type"]).toBe("application/json");
    expect(verifySignature(secret, request.headers, request.body)).toBe(true);
    expect(verifySignature("another-secret-of-64-characters", request.headers, request.body)).toBe(false);
    const timestamp = Number(request.headers["x-flowscope-timestamp"]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    // The notification's id is signed with the rest and repeated in a header, for receivers' de-duplication.
    const notificationId = Number(request.headers["x-flowscope-notification-id"]);
    expect(notificationId).toBeGreaterThan(0);
    expect(body).toEqual({ version: 1, notificationId, ...message, sentAt: new Date(timestamp * 1000).toISOString() });
    expect(body).toMatchObject({
      kind: "firing",
      alert: { id: alert.id, state: "firing", value: 23.456, threshold: 10, startedAt: "2025-03-30T12:05:00.000Z" },
      rule: { id: 7, name: "Failure rate above 10%", severity: "critical", labels: { team: "ops" } },
      client: { slug: "acme", timeZone: "Europe/Berlin" },
      url: `${BASE}/clients/acme/runs?status=failed&from=2025-03-30T11:10:00Z`,
    });

    const [row] = await notificationsOf(channelId);
    expect(row).toMatchObject({
      status: "delivered",
      attempts: 1,
      lockedUntil: null,
      lastError: null,
      deliveredAt: at(1_000),
    });
    const attempts = await attemptsOf(row.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ ok: true, statusCode: 204, error: null, at: at(1_000) });
    expect(attempts[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(await getChannelView(db, channelId)).toMatchObject({
      health: "ok",
      consecutiveFailures: 0,
      lastDeliveredAt: at(1_000).toISOString(),
    });

    const [delivery] = await listDeliveries(db, { alertId: alert.id, limit: 10 });
    expect(delivery).toMatchObject({
      alertId: alert.id,
      channelId,
      channelName: "Ops webhook",
      kind: "firing",
      title: message.title,
      status: "delivered",
      attempts: 1,
      nextAttemptAt: null,
      attemptLog: [{ at: at(1_000).toISOString(), ok: true, statusCode: 204, error: null }],
    });
  });

  it("a receiver that fails three times then succeeds gets exactly one delivered body, after four attempts on the backoff", async () => {
    const { db } = handle;
    const hook = await receiver((n) => (n <= 3 ? { status: 500, body: "upstream exploded" } : { status: 200 }));
    const { id: channelId } = await webhookChannel(hook.url);
    await queueNotifications(db, { alertId: null, kind: "firing", message: firing(), channelIds: [channelId] }, T0);

    expect(retryDelayMs(1)).toBe(30_000);
    expect(retryDelayMs(2)).toBe(60_000);
    expect(retryDelayMs(3)).toBe(120_000);
    expect(retryDelayMs(10)).toBe(3_600_000);
    const clock = [0, 30_000, 90_000, 210_000];
    const results = [];
    for (const [i, t] of clock.entries()) {
      results.push(await deliverDue(db, { now: at(t), senders: local }));
      // Just before the next try is due, nothing is sent.
      if (i < 3)
        expect(await deliverDue(db, { now: at(t + retryDelayMs(i + 1) - 1), senders: local })).toEqual({
          delivered: 0,
          retrying: 0,
          failed: 0,
        });
    }
    expect(results).toEqual([
      { delivered: 0, retrying: 1, failed: 0 },
      { delivered: 0, retrying: 1, failed: 0 },
      { delivered: 0, retrying: 1, failed: 0 },
      { delivered: 1, retrying: 0, failed: 0 },
    ]);
    expect(await deliverDue(db, { now: at(10 * 3_600_000), senders: local })).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 0,
    });

    expect(hook.requests.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(hook.requests.filter((r) => r.status === 200)).toHaveLength(1);
    // Each retry is the same message, signed afresh.
    const bodies = hook.requests.map((r) => JSON.parse(r.body) as { title: string });
    expect(new Set(bodies.map((b) => b.title))).toEqual(new Set([firing().title]));

    const [row] = await notificationsOf(channelId);
    expect(row).toMatchObject({ status: "delivered", attempts: 4, deliveredAt: at(210_000), lastError: null });
    // The id receivers drop repeats by: the same on every try.
    expect(hook.requests.map((r) => r.headers["x-flowscope-notification-id"])).toEqual(Array(4).fill(String(row.id)));
    const attempts = await attemptsOf(row.id);
    expect(attempts.map((a) => [a.at.getTime() - T0.getTime(), a.ok, a.statusCode, a.error])).toEqual([
      [0, false, 500, "HTTP 500: upstream exploded"],
      [30_000, false, 500, "HTTP 500: upstream exploded"],
      [90_000, false, 500, "HTTP 500: upstream exploded"],
      [210_000, true, 200, null],
    ]);
    expect((await getChannelView(db, channelId)).health).toBe("ok");
  });

  it("after the last attempt a notification fails and the channel shows as failing", async () => {
    const { db } = handle;
    const hook = await receiver(() => ({ status: 503, body: "maintenance" }));
    const { id: channelId } = await webhookChannel(hook.url);
    await queueNotifications(db, { alertId: null, kind: "firing", message: firing(), channelIds: [channelId] }, T0);
    let t = 0;
    const outcomes = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      outcomes.push(await deliverDue(db, { now: at(t), senders: local }));
      t += retryDelayMs(attempt);
    }
    expect(outcomes.slice(0, -1).every((o) => o.retrying === 1)).toBe(true);
    expect(outcomes.at(-1)).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    expect(await deliverDue(db, { now: at(t + 86_400_000), senders: local })).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 0,
    });
    expect(hook.requests).toHaveLength(MAX_ATTEMPTS);
    const [row] = await notificationsOf(channelId);
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastError: "HTTP 503: maintenance" });
    expect(await getChannelView(db, channelId)).toMatchObject({
      health: "failing",
      consecutiveFailures: 1,
      lastError: "HTTP 503: maintenance",
      lastFailedAt: at(t - retryDelayMs(MAX_ATTEMPTS)).toISOString(),
    });
  });

  it("two deliverers running at once send each notification once", async () => {
    const { db } = handle;
    const hook = await receiver(() => ({ status: 200, delayMs: 50 }));
    const { id: channelId } = await webhookChannel(hook.url);
    const titles = Array.from({ length: 6 }, (_, i) => `notification ${i}`);
    for (const title of titles) {
      await queueNotifications(
        db,
        { alertId: null, kind: "firing", message: { ...firing(), title }, channelIds: [channelId] },
        T0,
      );
    }
    // Three each: whichever claims second skips the rows the first holds and takes the others.
    const [a, b] = await Promise.all([
      deliverDue(db, { now: at(1_000), limit: 3, senders: local }),
      deliverDue(db, { now: at(1_000), limit: 3, senders: local }),
    ]);
    expect([a, b]).toEqual([
      { delivered: 3, retrying: 0, failed: 0 },
      { delivered: 3, retrying: 0, failed: 0 },
    ]);
    const sent = hook.requests.map((r) => (JSON.parse(r.body) as { title: string }).title).sort();
    expect(sent).toEqual(titles);
    const rows = await notificationsOf(channelId);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(rows.map(() => ["delivered", 1]));
  });

  it("refused addresses fail with the guard's reason before any connection", async () => {
    const { db } = handle;
    const hook = await receiver(() => ({ status: 200 }));
    // The receiver is on loopback: with private hosts refused it must never see a request.
    const loopback = await sendWebhook({ url: hook.url, signingSecret: "s".repeat(32) }, firing(), {
      allowPrivateHosts: false,
    });
    expect(loopback).toEqual({
      ok: false,
      statusCode: null,
      error:
        "127.0.0.1 resolves to a loopback address (127.0.0.1); set ALERT_ALLOW_PRIVATE_HOSTS=true to deliver alerts inside your own network",
    });
    // A host name is judged by what it resolves to.
    const named = await sendSlack({ url: "https://hooks.internal.test/services/x" }, firing(), {
      allowPrivateHosts: true,
      resolveHost: async () => [{ address: "169.254.169.254", family: 4 }],
    });
    expect(named.error).toBe(
      "hooks.internal.test resolves to a cloud metadata address (169.254.169.254): Flowscope never sends to link-local or cloud metadata addresses",
    );
    expect(hook.requests).toHaveLength(0);

    // A channel saved with the metadata address (before the rule, or by hand) fails at delivery.
    const { id: channelId, secret } = await webhookChannel(hook.url);
    const config = JSON.stringify({ url: "http://169.254.169.254/latest/meta-data", signingSecret: secret });
    await db
      .update(alertChannels)
      .set({ config: encryptSecret(config, appEncryptionKey()) })
      .where(eq(alertChannels.id, channelId));
    await queueNotifications(db, { alertId: null, kind: "firing", message: firing(), channelIds: [channelId] }, T0);
    const started = Date.now();
    expect(await deliverDue(db, { now: at(0), senders: local })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
    const [row] = await notificationsOf(channelId);
    const [attempt] = await attemptsOf(row.id);
    expect(attempt).toMatchObject({
      ok: false,
      statusCode: null,
      error:
        "169.254.169.254 resolves to a cloud metadata address (169.254.169.254): Flowscope never sends to link-local or cloud metadata addresses",
    });
  });

  it("a disabled channel gets nothing new, and its queued rows fail with the reason", async () => {
    const { db } = handle;
    const hook = await receiver(() => ({ status: 200 }));
    const { id: channelId } = await webhookChannel(hook.url);
    await queueNotifications(db, { alertId: null, kind: "firing", message: firing(), channelIds: [channelId] }, T0);
    await updateChannel(db, channelId, { enabled: false });
    expect(
      await queueNotifications(db, { alertId: null, kind: "resolved", message: firing(), channelIds: [channelId] }, T0),
    ).toBe(0);
    expect(await deliverDue(db, { now: at(0), senders: local })).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    const [row] = await notificationsOf(channelId);
    expect(row).toMatchObject({ status: "failed", lastError: "the channel was disabled before delivery" });
    expect(await attemptsOf(row.id)).toEqual([]);
    expect(hook.requests).toHaveLength(0);
    await expect(sendTestNotification(db, channelId)).rejects.toThrow("The channel is disabled");
    await expect(sendTestNotification(db, 999_999)).rejects.toMatchObject({ code: "not_found" });
  });

  it("send test notification: one attempt at once, its result returned; a failed one stays queued for retry", async () => {
    const { db } = handle;
    let up = false;
    const hook = await receiver(() => (up ? { status: 200 } : { status: 503, body: "down" }));
    const { id: channelId, secret } = await webhookChannel(hook.url);

    const failed = await sendTestNotification(db, channelId, { now: T0, senders: local });
    expect(failed).toMatchObject({ ok: false, statusCode: 503, error: "HTTP 503: down", status: "pending" });
    up = true;
    expect(await deliverDue(db, { now: at(retryDelayMs(1)), senders: local })).toEqual({
      delivered: 1,
      retrying: 0,
      failed: 0,
    });

    const passed = await sendTestNotification(db, channelId, { now: at(60_000), senders: local });
    expect(passed).toMatchObject({ ok: true, statusCode: 200, error: null, status: "delivered" });
    expect(hook.requests).toHaveLength(3);
    const body = JSON.parse(hook.requests[2].body) as Record<string, unknown>;
    expect(body).toMatchObject({ version: 1, kind: "test", alert: null, rule: null, client: null });
    expect(body.title).toBe("[TEST] Flowscope test notification");
    expect(verifySignature(secret, hook.requests[2].headers, hook.requests[2].body)).toBe(true);

    const deliveries = await listDeliveries(db, { channelId, limit: 10 });
    expect(deliveries.map((d) => [d.kind, d.status, d.attemptLog.map((a) => a.statusCode)])).toEqual([
      ["test", "delivered", [200]],
      ["test", "delivered", [503, 200]],
    ]);
  });

  it("Slack gets a Block Kit message; only a 200 with the body ok counts", async () => {
    let answer = { status: 200, body: "ok" };
    const slack = await receiver(() => answer);
    const message = firing({ workflow: { id: 12, name: "Order <sync> & co" } });
    expect(await sendSlack({ url: slack.url }, message, local)).toEqual({ ok: true, statusCode: 200, error: null });

    const payload = JSON.parse(slack.requests[0].body) as { text: string; blocks: Array<Record<string, unknown>> };
    expect(payload.text).toBe(`${message.title}\n${message.text}`);
    expect(payload.blocks.map((b) => b.type)).toEqual(["header", "section", "context", "actions"]);
    expect(payload.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: `:red_circle: ${message.title}`, emoji: true },
    });
    expect(payload.blocks[1]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: "Failure rate 23.5% over 1 h (40 runs)" },
      fields: [
        { type: "mrkdwn", text: "*Value*\n23.46 (threshold 10)" },
        { type: "mrkdwn", text: "*Rule*\nFailure rate above 10%" },
        { type: "mrkdwn", text: "*Labels*\nteam=ops" },
      ],
    });
    expect(payload.blocks[2]).toEqual({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: "Acme / Order &lt;sync&gt; &amp; co · critical · started 2025-03-30 14:05 · fired 2025-03-30 14:10 (Europe/Berlin)",
        },
      ],
    });
    expect(payload.blocks[3]).toEqual({
      type: "actions",
      elements: [
        { type: "button", text: { type: "plain_text", text: "Open in Flowscope" }, url: message.url, style: "danger" },
      ],
    });

    answer = { status: 200, body: "no_service" };
    expect(await sendSlack({ url: slack.url }, message, local)).toEqual({
      ok: false,
      statusCode: 200,
      error: 'Slack answered "no_service" instead of "ok"',
    });
    answer = { status: 404, body: "channel_not_found" };
    expect(await sendSlack({ url: slack.url }, message, local)).toEqual({
      ok: false,
      statusCode: 404,
      error: "HTTP 404: channel_not_found",
    });
  });

  it("redirects are not followed, and a receiver that does not answer times out", async () => {
    const target = await receiver(() => ({ status: 200 }));
    const redirecting = createServer((_req, res) => res.writeHead(307, { location: target.url }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    servers.push({ close: () => new Promise<void>((resolve) => redirecting.close(() => resolve())) });
    const { port } = redirecting.address() as AddressInfo;
    const result = await sendWebhook(
      { url: `http://127.0.0.1:${port}/x`, signingSecret: "s".repeat(32) },
      firing(),
      local,
    );
    expect(result).toEqual({
      ok: false,
      statusCode: 307,
      error: `HTTP 307 redirect to http://127.0.0.1:${target.port}; redirects are not followed, use the final URL`,
    });
    expect(target.requests).toHaveLength(0);

    const slow = await receiver(() => ({ status: 200, delayMs: 2_000 }));
    const timedOut = await sendWebhook({ url: slow.url, signingSecret: "s".repeat(32) }, firing(), {
      allowPrivateHosts: true,
      timeoutMs: 200,
    });
    expect(timedOut).toEqual({
      ok: false,
      statusCode: null,
      error: `127.0.0.1:${slow.port} did not answer within 0.2 s`,
    });
  });

  it("email goes through the SMTP server; without SMTP_URL it fails with a clear reason", async () => {
    const { db } = handle;
    const mails: Array<{ from: string; to: string[]; raw: string }> = [];
    const smtp = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === "alerts@flowscope.test" && auth.password === "p@ss word")
          return callback(null, { user: auth.username });
        callback(new Error("Invalid username or password"));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          mails.push({
            from,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    servers.push({ close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) });
    const { port } = smtp.server.address() as AddressInfo;
    const smtpUrl = `smtp://${encodeURIComponent("alerts@flowscope.test")}:${encodeURIComponent("p@ss word")}@127.0.0.1:${port}`;

    const { channel } = await createChannel(db, {
      name: "On call",
      kind: "email",
      to: ["ops@example.com", "oncall@example.com"],
    });
    const message = firing();
    await queueNotifications(db, { alertId: null, kind: "firing", message, channelIds: [channel.id] }, T0);
    expect(await deliverDue(db, { now: at(0), senders: { smtpUrl } })).toEqual({
      delivered: 1,
      retrying: 0,
      failed: 0,
    });

    expect(mails).toHaveLength(1);
    const [mail] = mails;
    // From defaults to the SMTP user when it is an address (ALERT_FROM unset here).
    expect(mail.from).toBe("alerts@flowscope.test");
    expect(mail.to).toEqual(["ops@example.com", "oncall@example.com"]);
    expect(headerOf(mail.raw, "subject")).toBe(message.title);
    const decoded = quotedPrintable(mail.raw);
    expect(decoded).toContain(`Open in Flowscope: ${message.url}`);
    expect(decoded).toContain("Started: 2025-03-30 14:05 (Europe/Berlin)");
    expect(decoded).toContain(`<a href="${message.url.replaceAll("&", "&amp;")}">Open in Flowscope</a>`);
    const [row] = await notificationsOf(channel.id);
    const [attempt] = await attemptsOf(row.id);
    expect(attempt).toMatchObject({ ok: true, statusCode: 250, error: null });

    expect(await sendEmail({ to: ["ops@example.com"] }, message, { smtpUrl: null })).toEqual({
      ok: false,
      statusCode: null,
      error: "SMTP_URL is not set: email alerts need an SMTP server",
    });
    const wrongPassword = await sendEmail({ to: ["ops@example.com"] }, message, {
      smtpUrl: `smtp://alerts%40flowscope.test:nope@127.0.0.1:${port}`,
    });
    expect(wrongPassword.ok).toBe(false);
    expect(wrongPassword.statusCode).toBe(535);
    expect(wrongPassword.error).toMatch(new RegExp(`^SMTP server 127\\.0\\.0\\.1:${port}: `));
    expect(wrongPassword.error).not.toContain("nope");
    expect(mails).toHaveLength(1);
  });
});

/** A header's value with RFC 2047 encoded words decoded (nodemailer encodes the title's "·"). */
function headerOf(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`)) ?? "";
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          ).toString("utf8"),
    );
}

/** Quoted-printable bodies: soft line breaks joined, =XX bytes decoded. */
function quotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}
