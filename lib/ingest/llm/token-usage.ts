import { z } from "zod";
import type { JsonRecord } from "@/lib/core/json";

/** Counts land in integer columns; anything else is malformed, not rounded into shape. */
const TokenCount = z.number().int().nonnegative();

const TokenUsage = z.object({
  promptTokens: TokenCount,
  completionTokens: TokenCount,
  totalTokens: TokenCount.nullish(),
});

export interface ParsedTokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  isEstimate: boolean;
}

export type TokenUsageResult = { ok: true; usage: ParsedTokenUsage } | { ok: false; reason: string };

/** Whether a run's output item carries n8n's usage fields at all. */
export function hasTokenUsage(json: JsonRecord): boolean {
  return Object.hasOwn(json, "tokenUsage") || Object.hasOwn(json, "tokenUsageEstimate");
}

/**
 * Reads n8n's `tokenUsage`, or `tokenUsageEstimate` (n8n's own count when the provider
 * reported none). A present but malformed `tokenUsage` is not replaced by the estimate:
 * n8n writes one or the other, so both at once means the data is not what we think.
 */
export function parseTokenUsage(json: JsonRecord): TokenUsageResult {
  const isEstimate = !Object.hasOwn(json, "tokenUsage");
  const field = isEstimate ? "tokenUsageEstimate" : "tokenUsage";
  const parsed = TokenUsage.safeParse(json[field]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = [field, ...issue.path.map(String)].join(".");
    return { ok: false, reason: `${path}: ${issue.message}` };
  }
  const { promptTokens, completionTokens, totalTokens } = parsed.data;
  return {
    ok: true,
    usage: {
      promptTokens,
      completionTokens,
      totalTokens: totalTokens ?? promptTokens + completionTokens,
      isEstimate,
    },
  };
}
