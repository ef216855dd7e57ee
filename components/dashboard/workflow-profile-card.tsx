import { Badge } from "@/components/ui/badge";
import { TEXT_LINK } from "@/components/ui/link";
import { WorkflowTags } from "@/components/ui/workflow-tags";
import { formatMinutes } from "@/components/format/format";
import { explainVerdict } from "@/components/format/verdict";
import type { WorkflowProfile } from "@/lib/metrics/workflow-profile";

/** The workflow's facts beside its figures: state, tags, time saved per run, class and why, and a link into n8n. */
export function WorkflowProfileCard({ profile }: { profile: WorkflowProfile }) {
  const counted = profile.verdict.included;
  return (
    <section
      aria-label="About this workflow"
      className="rounded-lg border border-gray-200 bg-white p-4 text-sm"
      data-testid="workflow-profile"
    >
      <div className="flex flex-wrap items-center gap-2">
        {profile.archived ? (
          <Badge>archived</Badge>
        ) : (
          <Badge tone={profile.active ? "green" : "gray"}>{profile.active ? "active" : "inactive"}</Badge>
        )}
        <WorkflowTags tags={profile.tags} />
        <a href={profile.n8nUrl} className={`ml-auto ${TEXT_LINK}`} target="_blank" rel="noreferrer noopener">
          Open in n8n<span className="sr-only"> (opens a new tab)</span>
        </a>
      </div>
      <p className="mt-3" data-testid="workflow-classification">
        {explainVerdict(profile.verdict)}{" "}
        {counted
          ? "Its production runs count in every figure."
          : "Its runs are kept and listed under Runs, flagged as excluded, but not counted."}
      </p>
      {profile.manualExcluded && (
        <p className="mt-1 text-gray-600">Runs started by hand from the n8n editor are never counted.</p>
      )}
      <p className="mt-1 text-gray-600">
        Time saved per run:{" "}
        {profile.minutesSavedPerExecution === null
          ? "not set in n8n (the workflow's settings, “Estimated time saved”)"
          : formatMinutes(profile.minutesSavedPerExecution)}
        .
      </p>
    </section>
  );
}
