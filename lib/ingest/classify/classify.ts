import type { FilterRules } from "@/lib/clients/rules";

export const PRODUCTION_TAGS = ["production", "prod", "live"] as const;
export const NON_PRODUCTION_TAGS = ["test", "dev", "development", "staging", "sandbox", "demo"] as const;
export const TEST_WORDS = ["test", "testing", "dev", "debug", "sample", "demo", "staging", "sandbox"] as const;

const TEST_WORD_RE = new RegExp(`\\b(${TEST_WORDS.join("|")})\\b`, "i");

export interface Classification {
  isProduction: boolean;
  /** Why it was excluded (`manual`, `tag:dev`, `pattern:<p>`, `test-name:<word>`); null when production. */
  exclusionReason: string | null;
}

export interface ClassifiableWorkflow {
  name: string;
  tags: readonly string[];
}

/** Rules with their patterns compiled once, for classifying many executions. */
export interface CompiledRules {
  rules: FilterRules;
  include: RegExp[];
  exclude: Array<{ source: string; re: RegExp }>;
}

export function compileRules(rules: FilterRules): CompiledRules {
  return {
    rules,
    include: rules.includePatterns.map((p) => new RegExp(p, "i")),
    exclude: rules.excludePatterns.map((p) => ({ source: p, re: new RegExp(p, "i") })),
  };
}

const PRODUCTION: Classification = { isProduction: true, exclusionReason: null };
const excluded = (reason: string): Classification => ({ isProduction: false, exclusionReason: reason });

/**
 * PRODUCT.md's production filter: ordered rules, the first that applies wins.
 * Pure, so the same answer comes from a sync, a re-classification and a rules preview.
 */
export function classifyExecution(
  execution: { mode: string },
  workflow: ClassifiableWorkflow,
  compiled: CompiledRules,
): Classification {
  const { rules } = compiled;
  if (execution.mode === "manual" && rules.excludeManual) return excluded("manual");

  const tags = workflow.tags.map((t) => t.trim().toLowerCase());
  if (compiled.include.some((re) => re.test(workflow.name))) return PRODUCTION;
  if (tags.some((t) => (PRODUCTION_TAGS as readonly string[]).includes(t))) return PRODUCTION;

  const nonProdTag = tags.find((t) => (NON_PRODUCTION_TAGS as readonly string[]).includes(t));
  if (nonProdTag) return excluded(`tag:${nonProdTag}`);

  const pattern = compiled.exclude.find((p) => p.re.test(workflow.name));
  if (pattern) return excluded(`pattern:${pattern.source}`);

  if (rules.excludeTestWorkflows) {
    const word = TEST_WORD_RE.exec(workflow.name);
    if (word) return excluded(`test-name:${word[1].toLowerCase()}`);
  }
  return PRODUCTION;
}
