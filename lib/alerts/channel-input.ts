/**
 * What a channel is, as the API and the pages send it: validated here before every write.
 * The target fields depend on the kind; a field another kind uses is refused rather than
 * dropped, so a typo says so.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { privateAlertHostsAllowed } from "@/lib/core/env";
import { ALERT_CHANNEL_KINDS, type AlertChannelKind } from "@/lib/core/vocabulary";
import { refusedClass } from "@/lib/n8n/address-guard";

const fields = {
  name: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters"),
  kind: z.enum(ALERT_CHANNEL_KINDS, { error: `must be one of ${ALERT_CHANNEL_KINDS.join(", ")}` }),
  url: z.string().trim().max(2000, "must be at most 2000 characters"),
  signingSecret: z
    .string()
    .min(16, "must be at least 16 characters")
    .max(256, "must be at most 256 characters")
    .regex(/^\S+$/, "must not contain spaces"),
  to: z
    .array(z.string().trim().email("must be an email address"))
    .min(1, "needs at least one address")
    .max(20, "takes at most 20 addresses"),
  enabled: z.boolean(),
};

/** Which kind uses which target field; the others are refused, so a typo is not silently dropped. */
const FIELDS_OF: Record<AlertChannelKind, ReadonlyArray<"url" | "signingSecret" | "to">> = {
  webhook: ["url", "signingSecret"],
  slack: ["url"],
  email: ["to"],
};

/** A channel as the API and the pages send it. Target fields depend on `kind`. */
export const ChannelInput = z
  .object({
    name: fields.name,
    kind: fields.kind,
    url: fields.url.optional(),
    /** Webhook only. Omitted on create: 32 random bytes, hex, shown once. */
    signingSecret: fields.signingSecret.optional(),
    to: fields.to.optional(),
    enabled: fields.enabled.default(true),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const field of ["url", "signingSecret", "to"] as const) {
      if (c[field] !== undefined && !FIELDS_OF[c.kind].includes(field))
        ctx.addIssue({ code: "custom", path: [field], message: `is not used by ${c.kind} channels` });
    }
    if (c.kind === "email") {
      if (c.to === undefined)
        ctx.addIssue({ code: "custom", path: ["to"], message: "is required for an email channel" });
      return;
    }
    if (c.url === undefined) {
      ctx.addIssue({ code: "custom", path: ["url"], message: `is required for a ${c.kind} channel` });
      return;
    }
    const problem = urlProblem(c.url, c.kind === "slack");
    if (problem) ctx.addIssue({ code: "custom", path: ["url"], message: problem });
  });
export type ChannelInput = z.infer<typeof ChannelInput>;

/** A change: any fields of ChannelInput; omitted target fields (and secrets) keep the stored ones. */
export const ChannelPatch = z
  .object({
    name: fields.name,
    kind: fields.kind,
    url: fields.url,
    signingSecret: fields.signingSecret,
    to: fields.to,
    enabled: fields.enabled,
  })
  .partial()
  .strict();
export type ChannelPatch = z.infer<typeof ChannelPatch>;

/** The decrypted target of a channel (alert_channels.config). */
export const ChannelConfig = z.object({
  url: z.string().optional(),
  signingSecret: z.string().optional(),
  to: z.array(z.string()).optional(),
});
export type ChannelConfig = z.infer<typeof ChannelConfig>;

/** Only the kind's own target fields: a stored field of another kind would fail validation. */
export function targetFieldsOf(kind: AlertChannelKind, config: ChannelConfig): ChannelConfig {
  return Object.fromEntries(Object.entries(config).filter(([k]) => (FIELDS_OF[kind] as readonly string[]).includes(k)));
}

function urlProblem(text: string, httpsOnly: boolean): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return httpsOnly ? "must be an https URL" : "must be an http or https URL";
  }
  if (httpsOnly && url.protocol !== "https:") return "must be an https URL";
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http or https URL";
  // fetch refuses URLs with credentials, and they would show in hints and errors.
  if (url.username || url.password) return "must not contain a user name or password";
  // An address typed as an IP is judged at once; host names are judged at each send (delivery/http.ts).
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const refused = isIP(host) ? refusedClass(host, privateAlertHostsAllowed) : null;
  if (refused) {
    const never = refused === "metadata" || refused === "link_local";
    return `is a ${refused.replace("_", "-")} address, which Flowscope does not send to${never ? "" : " (set ALERT_ALLOW_PRIVATE_HOSTS=true to deliver inside your own network)"}`;
  }
  return null;
}
