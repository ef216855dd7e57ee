"use client";

import { useCallback, useMemo, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { AdminClient } from "@/lib/metrics/status/types";
import type { FilterRules } from "@/lib/clients/rules";
import { buttonClass } from "@/components/ui/button";
import { SwitchField } from "@/components/ui/field";
import { ALERT } from "@/components/ui/message";
import { adminApi, adminKeys, errorText } from "./api";
import { PatternList, patternProblem } from "./pattern-list";
import { RulesPreviewPanel } from "./rules-preview-panel";
import { RunProgress } from "./run-progress";
import { useDebouncedValue } from "./use-debounced-value";

const PREVIEW_DELAY_MS = 300;

/** The rules as the API takes them: blank pattern rows are left out, not sent as errors. */
function cleaned(rules: FilterRules): FilterRules {
  const keep = (list: string[]) => list.map((p) => p.trim()).filter((p) => p !== "");
  return { ...rules, includePatterns: keep(rules.includePatterns), excludePatterns: keep(rules.excludePatterns) };
}

/**
 * The production filter of one client: include and exclude patterns and the two
 * switches, with a live preview of what they would exclude. Saving re-classifies the
 * stored history in the background; its progress shows here until it is done.
 */
export function RulesEditor({ client }: { client: AdminClient }) {
  const queryClient = useQueryClient();
  const [rules, setRules] = useState<FilterRules>(client.filterRules);
  const [runId, setRunId] = useState<number | null>(null);

  const clean = useMemo(() => cleaned(rules), [rules]);
  const invalid = [...clean.includePatterns, ...clean.excludePatterns].some((p) => patternProblem(p) !== null);
  const json = invalid ? null : JSON.stringify(clean);
  const debounced = useDebouncedValue(json, PREVIEW_DELAY_MS);
  const dirty = JSON.stringify(clean) !== JSON.stringify(cleaned(client.filterRules));

  const save = useMutation({
    mutationFn: () =>
      adminApi<{ runId: number; rules: FilterRules }>(`/api/v1/admin/clients/${client.id}/rules`, {
        method: "PUT",
        body: { rules: clean },
      }),
    onSuccess: (answer) => {
      setRunId(answer.runId);
      setRules(answer.rules);
      queryClient.setQueryData<AdminClient>(adminKeys.client(client.id), (c) =>
        c ? { ...c, filterRules: answer.rules } : c,
      );
    },
  });

  const onFinished = useCallback(() => {
    // The stored classification changed: counts, previews and the history are out of date.
    void queryClient.invalidateQueries({ queryKey: adminKeys.client(client.id) });
    void queryClient.invalidateQueries({ queryKey: ["admin", "preview", client.id] });
    void queryClient.invalidateQueries({ queryKey: adminKeys.syncRuns(client.id) });
    void queryClient.invalidateQueries({ queryKey: adminKeys.clients });
  }, [queryClient, client.id]);

  const toggle = (key: "excludeManual" | "excludeTestWorkflows", label: string, hint: string) => (
    <SwitchField
      label={label}
      hint={hint}
      checked={rules[key]}
      onChange={(e) => setRules((r) => ({ ...r, [key]: e.target.checked }))}
    />
  );

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form
        aria-label="Filter rules"
        className="space-y-5"
        onSubmit={(e) => {
          e.preventDefault();
          if (!invalid) save.mutate();
        }}
      >
        {toggle(
          "excludeManual",
          "Exclude manual runs",
          "Runs started by hand in the editor are tests, not production.",
        )}
        {toggle(
          "excludeTestWorkflows",
          "Exclude workflows with test words in the name",
          "test, testing, dev, debug, sample, demo, staging, sandbox, as whole words.",
        )}
        <PatternList
          label="Include pattern"
          legend="Include patterns"
          hint="Workflows whose name matches are production, whatever else applies (except manual runs). Regular expressions, case-insensitive."
          patterns={rules.includePatterns}
          onChange={(includePatterns) => setRules((r) => ({ ...r, includePatterns }))}
        />
        <PatternList
          label="Exclude pattern"
          legend="Exclude patterns"
          hint="Workflows whose name matches are excluded. Regular expressions, case-insensitive."
          patterns={rules.excludePatterns}
          onChange={(excludePatterns) => setRules((r) => ({ ...r, excludePatterns }))}
        />
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={buttonClass("primary")} disabled={save.isPending || invalid}>
            {save.isPending ? "Saving…" : "Save rules"}
          </button>
          <span className="text-sm text-gray-600" aria-live="polite">
            {invalid ? "Fix the invalid patterns to save." : dirty ? "Unsaved changes." : "Saved rules."}
          </span>
        </div>
        {save.error && (
          <p role="alert" className={ALERT}>
            The rules were not saved: {errorText(save.error)}
          </p>
        )}
        {runId !== null && (
          <RunProgress
            key={runId}
            runId={runId}
            label="Re-classification"
            onFinished={onFinished}
            timeZone={client.timeZone}
          />
        )}
      </form>
      <RulesPreviewPanel clientId={client.id} rulesJson={debounced} pending={debounced !== json} />
    </div>
  );
}
