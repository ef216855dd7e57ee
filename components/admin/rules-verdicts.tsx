import { formatCount } from "@/components/format/format";
import { Badge } from "@/components/ui/badge";
import { WorkflowTags } from "@/components/ui/workflow-tags";
import { explainVerdict } from "@/components/format/verdict";
import type { PatternMatches, WorkflowVerdict } from "@/lib/jobs/preview-rules";

function VerdictItem({ v }: { v: WorkflowVerdict }) {
  const kept = v.included && v.overridden.length > 0;
  return (
    <li
      className={`border-t border-gray-200 py-1 ${kept ? "bg-amber-50" : ""}`}
      data-testid="preview-verdict"
      data-included={v.included}
    >
      <span className="flex flex-wrap items-center gap-2">
        <span className="break-words font-medium">{v.name}</span>
        <WorkflowTags tags={v.tags} />
        <Badge tone={v.included ? "green" : "gray"}>{v.included ? "Included" : "Excluded"}</Badge>
      </span>
      <span className="block text-xs text-gray-700">{explainVerdict(v)}</span>
    </li>
  );
}

/**
 * Every stored workflow with the rule that decides it. Those an include pattern or a
 * production tag keeps in despite a test or dev name or tag come first and stay open:
 * they are the surprises ("why is my staging workflow counted?").
 */
export function VerdictList({ verdicts, omitted }: { verdicts: WorkflowVerdict[]; omitted: number }) {
  if (verdicts.length === 0) return <p>No workflows are stored yet.</p>;
  const kept = verdicts.filter((v) => v.included && v.overridden.length > 0);
  return (
    <div className="space-y-3">
      {kept.length > 0 && (
        <div data-testid="preview-kept">
          <p className="font-medium">Included despite a test or dev sign ({formatCount(kept.length)})</p>
          <ul className="mt-1">
            {kept.map((v) => (
              <VerdictItem key={v.workflowId} v={v} />
            ))}
          </ul>
        </div>
      )}
      <details data-testid="preview-verdicts">
        <summary className="cursor-pointer font-medium">
          Every workflow and why ({formatCount(verdicts.length + omitted)})
        </summary>
        <ul className="mt-1">
          {verdicts.map((v) => (
            <VerdictItem key={v.workflowId} v={v} />
          ))}
        </ul>
        {omitted > 0 && <p className="mt-1 text-xs text-gray-600">{formatCount(omitted)} more not listed.</p>}
      </details>
    </div>
  );
}

/** Each pattern with the workflows its name matches, so a pattern that matches nothing shows. */
export function PatternMatchList({ patterns }: { patterns: PatternMatches[] }) {
  if (patterns.length === 0) return null;
  return (
    <div data-testid="preview-patterns">
      <p className="font-medium">What each pattern matches</p>
      <ul className="mt-1 space-y-1">
        {patterns.map((p) => (
          <li key={`${p.kind}:${p.pattern}`} className="border-t border-gray-200 pt-1">
            <span className="text-gray-700">{p.kind === "include" ? "Include" : "Exclude"} </span>
            <code className="break-all text-xs">{p.pattern}</code>
            <span className="text-gray-700">
              {" "}
              matches{" "}
              {p.count === 0 ? "no workflow" : p.count === 1 ? "1 workflow" : `${formatCount(p.count)} workflows`}
              {p.count > 0 && ": "}
            </span>
            {p.workflows.map((w) => w.name).join(", ")}
            {p.count > p.workflows.length && `, and ${formatCount(p.count - p.workflows.length)} more`}
          </li>
        ))}
      </ul>
    </div>
  );
}
