import { z } from "zod";

/**
 * Every setting Flowscope reads, validated once. The rest of the code imports `env`,
 * never `process.env`. `.env.example` documents each variable.
 */
const bool = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

/** An empty value (`SMTP_URL=` copied from .env.example) means unset. */
const unsetIfBlank = (v: unknown) => (v === "" ? undefined : v);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Postgres server; unset means the embedded PGlite database in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("./.data"),

  /** Demo mode: an in-process fake n8n with 30 days of history is collected at start. */
  FLOWSCOPE_DEMO: bool,
  /** A real n8n to register as the default client at start. */
  N8N_BASE_URL: z.string().url().optional(),
  N8N_API_KEY: z.string().min(1).optional(),
  N8N_CLIENT_NAME: z.string().default("Default"),
  N8N_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  N8N_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(5),
  /**
   * Whether n8n base URLs may point at loopback and private networks (10/8, 192.168/16,
   * ::1, ...). Off in production unless set: an admin's typo, or a stolen admin session,
   * must not turn the server into a probe of its own network. Link-local and cloud
   * metadata addresses are refused whatever this says. Default: on in demo and
   * development, off in production.
   */
  N8N_ALLOW_PRIVATE_HOSTS: z.enum(["1", "0", "true", "false", ""]).optional(),

  /**
   * Whether alert webhooks and Slack URLs may point at loopback and private networks: the
   * same rule and default as N8N_ALLOW_PRIVATE_HOSTS, apart because a receiver on the
   * operator's network (a chat bridge, an on-call relay) is a choice of its own.
   * Link-local and cloud metadata addresses are refused whatever this says.
   */
  ALERT_ALLOW_PRIVATE_HOSTS: z.enum(["1", "0", "true", "false", ""]).optional(),
  /**
   * The SMTP server alert emails go through, as a URL: smtp://user:pass@host:587
   * (STARTTLS when offered) or smtps://user:pass@host:465. Unset: email channels fail
   * each delivery with "SMTP_URL is not set"; webhooks and Slack still work.
   */
  SMTP_URL: z.preprocess(
    unsetIfBlank,
    z
      .string()
      .url()
      .refine((v) => /^smtps?:\/\//i.test(v), "must start with smtp:// or smtps://")
      .optional(),
  ),
  /**
   * The From of alert emails, e.g. "Flowscope <alerts@example.com>". Unset: the SMTP_URL
   * user when it is an email address; without either, email deliveries fail saying so.
   */
  ALERT_FROM: z.preprocess(unsetIfBlank, z.string().trim().min(3).max(320).optional()),
  /**
   * The port `next start` listens on; only read to build alert links when BETTER_AUTH_URL
   * is unset (http://localhost:PORT).
   */
  PORT: z.preprocess(unsetIfBlank, z.coerce.number().int().min(1).max(65_535).optional()),

  /** Cron of the collect function (every 15 minutes by default). */
  COLLECT_CRON: z.string().default("*/15 * * * *"),
  /**
   * Ids the execution list skipped that each sync asks n8n for one by one, at most: a
   * running execution is hidden from the list; a 404 means it is gone (pruned, deleted).
   */
  GAP_PROBE_LIMIT: z.coerce.number().int().min(0).default(500),

  /**
   * How long a run may go without a heartbeat before it counts as dead (its process was
   * killed) and is failed by whoever looks next. Running jobs beat every sixth of it.
   */
  RUN_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),

  RETENTION_RAW_DAYS: z.coerce.number().int().positive().default(90),
  RETENTION_HOURLY_DAYS: z.coerce.number().int().positive().default(90),
  RETENTION_DAILY_DAYS: z.coerce.number().int().positive().default(730),
  RETENTION_WEEKLY_DAYS: z.coerce.number().int().positive().default(730),
  /**
   * Days raw system-metric points are kept (lib/telemetry); their hourly aggregates are
   * kept RETENTION_HOURLY_DAYS, and an hour is never deleted raw before it is aggregated.
   */
  RETENTION_SYSTEM_METRICS_DAYS: z.coerce.number().int().positive().default(30),
  /**
   * Seconds between samples of the process's and the database's resources (CPU, memory,
   * event-loop lag, connections, sizes, queue depth) into system_metrics; 0 turns the
   * sampler off.
   */
  SYSTEM_METRICS_SAMPLE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /**
   * The bearer token Prometheus sends to GET /api/v1/prometheus. Unset: only operators'
   * API tokens (and sessions) may read it. At least 24 characters.
   */
  PROMETHEUS_SCRAPE_TOKEN: z.preprocess(unsetIfBlank, z.string().min(24, "must be at least 24 characters").optional()),

  /**
   * 32 bytes (base64 or 64 hex characters) that encrypt n8n API keys at rest
   * (AES-256-GCM). Required outside demo and development.
   */
  FLOWSCOPE_ENCRYPTION_KEY: z.string().optional(),
  /** Signs session cookies; at least 32 characters. Required outside demo and development. */
  BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** The public URL of the app (for cookies and origin checks); inferred from requests when unset. */
  BETTER_AUTH_URL: z.string().url().optional(),
  /** The first admin, created at start when no admin exists yet. */
  ADMIN_EMAIL: z.string().email().optional(),
  /**
   * Its password. It must pass the password rule (lib/accounts/password-policy.ts: at least
   * 10 characters not counting spaces at either end, not one of the most common
   * passwords); the server refuses to start when it does not.
   */
  ADMIN_PASSWORD: z.string().optional(),
  /**
   * Sign-in attempts allowed per client address per minute, whatever the account (then
   * 429). The address is the connection's, or the one a trusted proxy reports (below).
   */
  AUTH_SIGNIN_MAX_PER_MINUTE: z.coerce.number().int().positive().default(10),
  /**
   * The header your reverse proxy sets to the client's address (x-forwarded-for,
   * x-real-ip, cf-connecting-ip). Read only on connections from AUTH_TRUSTED_PROXIES,
   * right to left past the trusted hops; anyone else's copy of it is ignored, since a
   * client that sets it itself could pick a new address per attempt.
   */
  AUTH_IP_HEADER: z.string().trim().toLowerCase().default("x-forwarded-for"),
  /**
   * Comma-separated addresses or CIDR ranges of your reverse proxies (e.g.
   * "127.0.0.1,10.0.0.0/8"). Unset: AUTH_IP_HEADER is never read and every connection
   * counts as its own address, which behind a proxy is the proxy's.
   */
  AUTH_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((p) => p.trim())
            .filter(Boolean)
        : undefined,
    )
    .superRefine((entries, ctx) => {
      const entry = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);
      for (const e of entries ?? []) {
        // An entry that silently matched nothing would put every client in the proxy's bucket.
        if (!entry.safeParse(e).success)
          ctx.addIssue({ code: "custom", message: `"${e}" is not an IP address or CIDR range` });
      }
    }),
  /**
   * Wrong passwords in a row after which an account (whatever address the attempts come
   * from) must wait before the next try: 1 second, then twice as long after each further
   * failure, up to AUTH_ACCOUNT_MAX_DELAY_SECONDS. A successful sign-in starts over.
   */
  AUTH_ACCOUNT_FAILURES_BEFORE_DELAY: z.coerce.number().int().min(1).default(5),
  /** The longest an account waits between sign-in attempts after repeated failures. */
  AUTH_ACCOUNT_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),

  INNGEST_DEV: z.string().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  /** Force the in-process scheduler off (tests, CLI) or on. */
  FLOWSCOPE_SCHEDULER: z.enum(["auto", "off"]).default("auto"),
});

export type Env = z.infer<typeof EnvSchema>;

function loadEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env = loadEnv();

/**
 * Demo and development may run on built-in, publicly known secrets; anything else
 * (production, CI's `next start` without FLOWSCOPE_DEMO) must bring its own.
 */
export const insecureDefaultsAllowed = env.FLOWSCOPE_DEMO || env.NODE_ENV !== "production";

/** See N8N_ALLOW_PRIVATE_HOSTS: explicit setting, else allowed where insecure defaults are. */
export const privateN8nHostsAllowed = !env.N8N_ALLOW_PRIVATE_HOSTS
  ? insecureDefaultsAllowed
  : env.N8N_ALLOW_PRIVATE_HOSTS === "1" || env.N8N_ALLOW_PRIVATE_HOSTS === "true";

/** See ALERT_ALLOW_PRIVATE_HOSTS: explicit setting, else allowed where insecure defaults are. */
export const privateAlertHostsAllowed = !env.ALERT_ALLOW_PRIVATE_HOSTS
  ? insecureDefaultsAllowed
  : env.ALERT_ALLOW_PRIVATE_HOSTS === "1" || env.ALERT_ALLOW_PRIVATE_HOSTS === "true";

/** Inngest schedules the functions when a dev server or cloud key is configured. */
export const inngestConfigured = Boolean(env.INNGEST_DEV || env.INNGEST_EVENT_KEY);
