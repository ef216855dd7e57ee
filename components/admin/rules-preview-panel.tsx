"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { formatCount } from "@/components/format/format";
import { Skeleton } from "@/components/ui/skeleton";
import type { ExplainedRulesPreview } from "@/lib/jobs/preview-rules";
import { ALERT } from "@/components/ui/message";
import { adminApi, adminKeys, errorText } from "./api";
import { WorkflowTags } from "@/components/ui/workflow-tags";
import { PatternMatchList, VerdictList } from "./rules-verdicts";

interface Props {
  clientId: number;
  /** JSON of the rules to preview, already debounced; null while a pattern is invalid. */
  rulesJson: string | null;
  /** The editor has changed since rulesJson was taken: the figures are about to change. */
  pending: boolean;
}

/** What the rules being edited would exclude among the stored history, refreshed as they change. */
export function RulesPreviewPanel({ clientId, rulesJson, pending }: Props) {
  const preview = useQuery({
    queryKey: adminKeys.preview(clientId, rulesJson ?? ""),
    queryFn: ({ signal }) =>
      adminApi<ExplainedRulesPreview>(`/api/v1/admin/clients/${clientId}/rules/preview`, {
        method: "POST",
        body: { rules: JSON.parse(rulesJson ?? "{}") as unknown },
        signal,
      }),
    enabled: rulesJson !== null,
    // The last figures stay on screen while the next ones load, instead of a flash of skeleton.
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const busy = pending || preview.isFetching;

  return (
    <section
      aria-labelledby={`preview-${clientId}`}
      aria-busy={busy}
      className="rounded-lg border border-gray-200 bg-gray-50 p-4"
      data-testid="rules-preview"
    >
      <h3 id={`preview-${clientId}`} className="text-base font-semibold">
        Preview
      </h3>
      <p className="mt-1 text-xs text-gray-600">Among the executions stored now; nothing changes until you save.</p>
      <div className="mt-3" aria-live="polite">
        {rulesJson === null ? (
          <p className="text-sm text-gray-700">Fix the patterns marked above to see a preview.</p>
        ) : preview.error ? (
          <p role="alert" className={ALERT}>
            {errorText(preview.error)}
          </p>
        ) : !preview.data ? (
          <Skeleton label="preview" className="h-24" />
        ) : (
          <PreviewFigures preview={preview.data} stale={busy} />
        )}
      </div>
    </section>
  );
}

function PreviewFigures({ preview, stale }: { preview: ExplainedRulesPreview; stale: boolean }) {
  const { executions: ex, workflows: wf } = preview;
  const tagsOf = new Map(preview.verdicts.map((v) => [v.workflowId, v.tags]));
  return (
    <div className={`space-y-4 text-sm transition-opacity ${stale ? "opacity-60" : ""}`}>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure
          id="excluded"
          label="Excluded executions"
          value={`${formatCount(ex.excluded)} of ${formatCount(ex.total)}`}
          note={`now ${formatCount(ex.currentlyExcluded)}`}
        />
        <Figure id="newly-excluded" label="Newly excluded" value={formatCount(ex.newlyExcluded)} />
        <Figure id="newly-included" label="Newly included" value={formatCount(ex.newlyIncluded)} />
        <Figure
          id="excluded-workflows"
          label="Excluded workflows"
          value={`${formatCount(wf.excluded)} of ${formatCount(wf.total)}`}
          note={`now ${formatCount(wf.currentlyExcluded)}`}
        />
      </dl>
      {preview.reasons.length === 0 ? (
        <p>These rules exclude nothing that is stored.</p>
      ) : (
        <table className="w-full text-left">
          <caption className="mb-1 text-left font-medium">Excluded by reason</caption>
          <thead className="text-gray-600">
            <tr>
              <th scope="col" className="py-1 pr-2 font-medium">
                Reason
              </th>
              <th scope="col" className="py-1 pr-2 text-right font-medium">
                Executions
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Workflows
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.reasons.map((r) => (
              <tr key={r.reason} className="border-t border-gray-200" data-testid="preview-reason">
                <th scope="row" className="break-all py-1 pr-2 font-mono text-xs font-normal">
                  {r.reason}
                </th>
                <td className="py-1 pr-2 text-right tabular-nums">{formatCount(r.executions)}</td>
                <td className="py-1 text-right tabular-nums">{formatCount(r.workflows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview.changes.length > 0 && (
        <div>
          <p className="font-medium">Workflows that change ({formatCount(preview.changedWorkflows)})</p>
          <ul className="mt-1 space-y-1">
            {preview.changes.map((c) => (
              <li key={c.workflowId} className="flex flex-wrap justify-between gap-2 border-t border-gray-200 pt-1">
                <span className="break-words">
                  {c.name} <WorkflowTags tags={tagsOf.get(c.workflowId) ?? []} />
                </span>
                <span className="tabular-nums text-gray-700">
                  {c.newlyExcluded > 0 && (
                    <>
                      {formatCount(c.newlyExcluded)} newly excluded{c.reason ? ` (${c.reason})` : ""}
                    </>
                  )}
                  {c.newlyExcluded > 0 && c.newlyIncluded > 0 && ", "}
                  {c.newlyIncluded > 0 && <>{formatCount(c.newlyIncluded)} newly included</>}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview.manualExcluded && (
        <p className="text-xs text-gray-600">
          Manual runs (started by hand in the editor) are excluded whatever else applies; the reasons below are for
          every other run.
        </p>
      )}
      <PatternMatchList patterns={preview.patterns} />
      <VerdictList verdicts={preview.verdicts} omitted={preview.verdictsOmitted} />
    </div>
  );
}

function Figure({ id, label, value, note }: { id: string; label: string; value: string; note?: string }) {
  return (
    <div className="rounded border border-gray-200 bg-white p-2" data-testid={`preview-${id}`}>
      <dt className="text-xs text-gray-600">{label}</dt>
      <dd className="font-semibold tabular-nums">{value}</dd>
      {note && <dd className="text-xs text-gray-600">{note}</dd>}
    </div>
  );
}
