/**
 * The rules preview with its reasons: lib/ingest/classify's preview (what the rules would
 * exclude, counted over the stored history) plus, for every workflow, which rule decides
 * its class and which others it also matches, and for every pattern, the workflows it
 * matches. Beside save-rules.ts, its other half. The classifier stays the one judge: the
 * verdict is classifyExecution's; this only names the rules that matched around it.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { workflows } from "@/lib/db/schema";
import {
  classifyExecution,
  compileRules,
  NON_PRODUCTION_TAGS,
  PRODUCTION_TAGS,
  type CompiledRules,
} from "@/lib/ingest/classify/classify";
import { previewRules, type RulesPreview } from "@/lib/ingest/classify/preview";
import { parseFilterRules, type FilterRules } from "@/lib/clients/rules";

/** The rule that decided a workflow's class, in the classifier's order. */
export type DecidingRule =
  "include-pattern" | "production-tag" | "non-production-tag" | "exclude-pattern" | "test-name" | "no-rule";

/** One rule a workflow matches: its kind and what matched (the pattern, tag or word). */
export interface RuleMatch {
  rule: Exclude<DecidingRule, "no-rule">;
  value: string;
}

export interface WorkflowVerdict {
  workflowId: number;
  name: string;
  tags: string[];
  /** Its non-manual runs are production. */
  included: boolean;
  /** The stored exclusion reason (`tag:dev`, `pattern:<p>`, `test-name:<word>`); null when included. */
  reason: string | null;
  decidedBy: DecidingRule;
  /** What decided it: the pattern, tag or word; null for no-rule. */
  decidedValue: string | null;
  /**
   * Exclusions it also matches that lose to the deciding rule: an include pattern or a
   * production tag keeps it in although its name or tags say test or dev.
   */
  overridden: RuleMatch[];
}

export interface PatternMatches {
  kind: "include" | "exclude";
  pattern: string;
  /** How many stored workflows the pattern matches. */
  count: number;
  /** The first MAX_PATTERN_NAMES of them, by name. */
  workflows: Array<{ workflowId: number; name: string }>;
}

export interface ExplainedRulesPreview extends RulesPreview {
  /** Every stored workflow's verdict: kept in by a rule over an exclusion first, then excluded, then the rest. */
  verdicts: WorkflowVerdict[];
  /** Verdicts left out beyond MAX_VERDICTS. */
  verdictsOmitted: number;
  patterns: PatternMatches[];
  /** Manual runs are excluded whatever else applies (the first rule). */
  manualExcluded: boolean;
}

const MAX_VERDICTS = 500;
const MAX_PATTERN_NAMES = 50;

/** The classifier's own test-word rule, asked alone: tags and patterns left out. */
const TEST_WORDS_ONLY = compileRules({
  excludeManual: false,
  excludeTestWorkflows: true,
  includePatterns: [],
  excludePatterns: [],
});

function testWordOf(name: string): string | null {
  const c = classifyExecution({ mode: "trigger" }, { name, tags: [] }, TEST_WORDS_ONLY);
  return c.exclusionReason?.startsWith("test-name:") ? c.exclusionReason.slice("test-name:".length) : null;
}

const inList = (list: readonly string[], tag: string) => list.includes(tag);

/** Every rule the workflow matches, in the classifier's order. */
function matches(wf: { name: string; tags: readonly string[] }, compiled: CompiledRules): RuleMatch[] {
  const tags = wf.tags.map((t) => t.trim().toLowerCase());
  const out: RuleMatch[] = [];
  compiled.include.forEach((re, i) => {
    if (re.test(wf.name)) out.push({ rule: "include-pattern", value: compiled.rules.includePatterns[i] });
  });
  for (const t of tags) if (inList(PRODUCTION_TAGS, t)) out.push({ rule: "production-tag", value: t });
  for (const t of tags) if (inList(NON_PRODUCTION_TAGS, t)) out.push({ rule: "non-production-tag", value: t });
  for (const p of compiled.exclude) if (p.re.test(wf.name)) out.push({ rule: "exclude-pattern", value: p.source });
  const word = compiled.rules.excludeTestWorkflows ? testWordOf(wf.name) : null;
  if (word) out.push({ rule: "test-name", value: word });
  return out;
}

const EXCLUDING = new Set<RuleMatch["rule"]>(["non-production-tag", "exclude-pattern", "test-name"]);

export function explainWorkflow(
  wf: { id: number; name: string; tags: string[] },
  compiled: CompiledRules,
): WorkflowVerdict {
  const verdict = classifyExecution({ mode: "trigger" }, wf, compiled);
  const found = matches(wf, compiled);
  const base = { workflowId: wf.id, name: wf.name, tags: wf.tags, reason: verdict.exclusionReason };
  if (verdict.isProduction) {
    // The first including match decides; every exclusion it also matches lost to it.
    const keeper = found.find((m) => !EXCLUDING.has(m.rule));
    return {
      ...base,
      included: true,
      decidedBy: keeper?.rule ?? "no-rule",
      decidedValue: keeper?.value ?? null,
      overridden: keeper ? found.filter((m) => EXCLUDING.has(m.rule)) : [],
    };
  }
  // The reason is the classifier's; the match that spells it is the deciding rule.
  const decider = found.find((m) => EXCLUDING.has(m.rule) && verdict.exclusionReason === reasonOf(m));
  return {
    ...base,
    included: false,
    decidedBy: decider?.rule ?? "no-rule",
    decidedValue: decider?.value ?? verdict.exclusionReason,
    overridden: [],
  };
}

function reasonOf(m: RuleMatch): string {
  if (m.rule === "non-production-tag") return `tag:${m.value}`;
  if (m.rule === "exclude-pattern") return `pattern:${m.value}`;
  return `test-name:${m.value}`;
}

/** Sort order: kept in over an exclusion (what an operator most needs to see), excluded, included. */
const rank = (v: WorkflowVerdict) => (v.included && v.overridden.length > 0 ? 0 : v.included ? 2 : 1);

function patternMatches(
  kind: PatternMatches["kind"],
  patterns: string[],
  regexps: RegExp[],
  rows: Array<{ id: number; name: string }>,
): PatternMatches[] {
  return patterns.map((pattern, i) => {
    const hit = rows.filter((wf) => regexps[i].test(wf.name));
    return {
      kind,
      pattern,
      count: hit.length,
      workflows: hit.slice(0, MAX_PATTERN_NAMES).map((wf) => ({ workflowId: wf.id, name: wf.name })),
    };
  });
}

/**
 * What `input` (rules from the editor) would do to the client's stored history, with the
 * reason for every workflow. Nothing is written; an invalid pattern is a 400 naming it.
 */
export async function previewRulesExplained(db: Db, clientId: number, input: unknown): Promise<ExplainedRulesPreview> {
  const rules: FilterRules = parseFilterRules(input);
  const [preview, rows] = await Promise.all([
    previewRules(db, clientId, rules),
    db
      .select({ id: workflows.id, name: workflows.name, tags: workflows.tags })
      .from(workflows)
      .where(eq(workflows.clientId, clientId)),
  ]);
  rows.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  const compiled = compileRules(rules);
  const verdicts = rows.map((wf) => explainWorkflow(wf, compiled)).sort((a, b) => rank(a) - rank(b));
  return {
    ...preview,
    verdicts: verdicts.slice(0, MAX_VERDICTS),
    verdictsOmitted: Math.max(0, verdicts.length - MAX_VERDICTS),
    patterns: [
      ...patternMatches("include", rules.includePatterns, compiled.include, rows),
      ...patternMatches(
        "exclude",
        rules.excludePatterns,
        compiled.exclude.map((p) => p.re),
        rows,
      ),
    ],
    manualExcluded: rules.excludeManual,
  };
}
