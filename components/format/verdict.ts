import type { RuleMatch, WorkflowVerdict } from "@/lib/jobs/preview-rules";

/** A rule match in words: `tag “dev”`, `exclude pattern “^tmp”`, `“test” in the name`. */
export function describeMatch(m: RuleMatch): string {
  switch (m.rule) {
    case "include-pattern":
      return `include pattern “${m.value}”`;
    case "production-tag":
    case "non-production-tag":
      return `tag “${m.value}”`;
    case "exclude-pattern":
      return `exclude pattern “${m.value}”`;
    case "test-name":
      return `“${m.value}” in the name`;
  }
}

/** Why a workflow is in or out, e.g. "Included: tag “production” wins over “test” in the name." */
export function explainVerdict(v: WorkflowVerdict): string {
  if (!v.included) {
    const what =
      v.decidedBy === "no-rule" || v.decidedValue === null
        ? (v.reason ?? "excluded")
        : describeMatch({ rule: v.decidedBy, value: v.decidedValue });
    return `Excluded: ${what}.`;
  }
  if (v.decidedBy === "no-rule" || v.decidedValue === null) return "Included: no rule excludes it.";
  const keeper = describeMatch({ rule: v.decidedBy, value: v.decidedValue });
  if (v.overridden.length === 0) return `Included: ${keeper}.`;
  return `Included: ${keeper} wins over ${v.overridden.map(describeMatch).join(" and ")}.`;
}
