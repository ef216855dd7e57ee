import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/database";
import { modelPriceOverrides } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { parseInput } from "@/lib/core/validation";
import { normaliseModelName, type PriceOverride } from "./overrides";

export type StoredPriceOverride = PriceOverride & { id: number };

const MicroUsdPerMillion = z
  .number({ error: "must be a number" })
  .int("must be a whole number of micro-dollars per million tokens")
  .nonnegative("must not be negative")
  .max(Number.MAX_SAFE_INTEGER, "is too large");

/** A Date or an ISO 8601 string; JSON bodies can only carry the latter. */
const EffectiveFrom = z.unknown().transform((value, ctx) => {
  const date = value instanceof Date ? value : typeof value === "string" && value.trim() ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: "must be a date (ISO 8601)" });
    return z.NEVER;
  }
  return date;
});

export const PriceOverrideInput = z.object({
  model: z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(200),
  provider: z
    .string({ error: "must be a string or null" })
    .trim()
    .toLowerCase()
    .max(100)
    .nullish()
    .transform((v) => v || null),
  inputPerMillionMicroUsd: MicroUsdPerMillion,
  outputPerMillionMicroUsd: MicroUsdPerMillion,
  effectiveFrom: EffectiveFrom,
});
export type PriceOverrideInput = z.input<typeof PriceOverrideInput>;

const columns = {
  id: modelPriceOverrides.id,
  model: modelPriceOverrides.model,
  provider: modelPriceOverrides.provider,
  inputPerMillionMicroUsd: modelPriceOverrides.inputPerMillionMicroUsd,
  outputPerMillionMicroUsd: modelPriceOverrides.outputPerMillionMicroUsd,
  effectiveFrom: modelPriceOverrides.effectiveFrom,
};

/** All overrides; few enough to hold in memory while pricing a batch of calls. */
export async function loadPriceOverrides(db: Db): Promise<StoredPriceOverride[]> {
  return db
    .select(columns)
    .from(modelPriceOverrides)
    .orderBy(asc(modelPriceOverrides.model), asc(modelPriceOverrides.effectiveFrom));
}

export async function createPriceOverride(db: Db, input: unknown): Promise<StoredPriceOverride> {
  const data = parseInput(PriceOverrideInput, input, "price override");
  const conflict = () =>
    new AppError(
      "conflict",
      `A price for model "${data.model}" effective from ${data.effectiveFrom.toISOString()} already exists`,
    );

  // Pricing matches names case- and prefix-insensitively, so "GPT-4o" and "gpt-4o" at
  // the same instant would be ambiguous even though the unique index tells them apart.
  const sameInstant = await db
    .select({ model: modelPriceOverrides.model })
    .from(modelPriceOverrides)
    .where(eq(modelPriceOverrides.effectiveFrom, data.effectiveFrom));
  if (sameInstant.some((row) => normaliseModelName(row.model) === normaliseModelName(data.model))) {
    throw conflict();
  }

  // The unique index still guards against a concurrent insert of the same row.
  const [row] = await db.insert(modelPriceOverrides).values(data).onConflictDoNothing().returning(columns);
  if (!row) throw conflict();
  return row;
}
