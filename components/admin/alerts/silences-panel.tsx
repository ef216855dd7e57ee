"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ConfirmAction } from "@/components/admin/accounts/confirm-action";
import {
  ALERTS_KEY,
  createSilence,
  endSilence,
  errorText,
  fieldPathOf,
  rulesQuery,
  silencesQuery,
  type SilenceView,
} from "@/components/alerts/alerts-api";
import { Badge, type Tone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, SelectField, TextAreaField } from "@/components/ui/field";
import { ALERT } from "@/components/ui/message";
import { CELL_COMPACT, STACKED, TABLE, TBODY, THEAD, TableScroll, stackedCell } from "@/components/ui/table";
import { formatTimestamp } from "@/components/format/format";
import { parseLabels } from "./rule-draft";

type Choice = { id: number; name: string };

const STATUS_TONE: Record<SilenceView["status"], Tone> = { active: "amber", pending: "blue", expired: "gray" };

/** What a silence matches, in words: "Demo Agency · rule Failures · team=ops". */
function matches(s: SilenceView, clientName: (id: number) => string, ruleName: (id: number) => string): string {
  const parts = [
    s.clientId === null ? "any client" : clientName(s.clientId),
    s.ruleId === null ? "any rule" : `rule “${ruleName(s.ruleId)}”`,
    ...Object.entries(s.labels).map(([k, v]) => `${k}=${v}`),
  ];
  return parts.join(" · ");
}

const DURATIONS = [
  ["1", "1 hour"],
  ["4", "4 hours"],
  ["24", "24 hours"],
  ["168", "7 days"],
  ["custom", "Until a time…"],
] as const;

function SilenceForm({ clients, rules }: { clients: readonly Choice[]; rules: readonly Choice[] }) {
  const queryClient = useQueryClient();
  const [duration, setDuration] = useState<string>("1");
  const [localProblem, setLocalProblem] = useState<{ field: string; message: string } | null>(null);
  const errorId = useId();
  const create = useMutation({
    mutationFn: createSilence,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ALERTS_KEY }),
  });
  const field = localProblem?.field ?? fieldPathOf(create.error)?.split(".")[0] ?? null;
  const refusal = (name: string) => ({ invalid: field === name, errorId });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const labels = parseLabels(text("labels"));
    if ("problem" in labels) return setLocalProblem({ field: "labels", message: `labels: ${labels.problem}` });
    // datetime-local is the browser's wall clock; Date reads it as such.
    const endsAt =
      duration === "custom" ? new Date(text("endsAt")) : new Date(Date.now() + Number(duration) * 3_600_000);
    if (Number.isNaN(endsAt.getTime())) return setLocalProblem({ field: "endsAt", message: "endsAt: is required" });
    setLocalProblem(null);
    create.mutate(
      {
        clientId: text("clientId") ? Number(text("clientId")) : null,
        ruleId: text("ruleId") ? Number(text("ruleId")) : null,
        labels: labels.labels,
        endsAt: endsAt.toISOString(),
        comment: text("comment"),
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  const message = localProblem?.message ?? (create.isError ? errorText(create.error) : null);
  return (
    <form onSubmit={onSubmit} aria-labelledby="new-silence-heading" className={`space-y-4 ${CARD}`}>
      <h3 id="new-silence-heading" className="text-base font-semibold">
        New silence
      </h3>
      <p className="text-sm text-gray-700">
        Alerts it matches are still evaluated and listed; their notifications are held back until it ends. Name a
        client, a rule, labels, or several (all must match).
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Client" name="clientId" defaultValue="" {...refusal("clientId")}>
          <option value="">Any client</option>
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Rule" name="ruleId" defaultValue="" {...refusal("ruleId")}>
          <option value="">Any rule</option>
          {rules.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Labels"
          name="labels"
          rows={2}
          placeholder="team=ops"
          hint="key=value, one a line: the rule must carry every one."
          {...refusal("labels")}
        />
        <div className="space-y-4">
          <SelectField
            label="For"
            name="duration"
            value={duration}
            onChange={(e) => setDuration(e.currentTarget.value)}
          >
            {DURATIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          {duration === "custom" && (
            <Field
              label="Ends at"
              name="endsAt"
              type="datetime-local"
              required
              hint="In your browser's time."
              {...refusal("endsAt")}
            />
          )}
        </div>
        <Field
          label="Comment"
          name="comment"
          maxLength={500}
          className="sm:col-span-2"
          placeholder="e.g. Maintenance window"
          {...refusal("comment")}
        />
      </div>
      {message && (
        <p id={errorId} role="alert" className={ALERT}>
          {message}
        </p>
      )}
      <button type="submit" disabled={create.isPending} className={buttonClass("primary")}>
        {create.isPending ? "Creating…" : "Create silence"}
      </button>
    </form>
  );
}

/** Silences in force and to come first, then ended ones; each open one can be ended now. */
export function SilencesPanel({ clients }: { clients: readonly Choice[] }) {
  const queryClient = useQueryClient();
  const { data: silences } = useSuspenseQuery(silencesQuery());
  const { data: rules } = useSuspenseQuery(rulesQuery());
  const clientNames = new Map(clients.map((c) => [c.id, c.name]));
  const ruleNames = new Map(rules.map((r) => [r.id, r.name]));
  const clientName = (id: number) => clientNames.get(id) ?? `client ${id}`;
  const ruleName = (id: number) => ruleNames.get(id) ?? `rule ${id}`;
  const order = { active: 0, pending: 1, expired: 2 } as const;
  const sorted = [...silences].sort((a, b) => order[a.status] - order[b.status]);

  return (
    <div className="space-y-4">
      {sorted.length === 0 ? (
        <EmptyState title="No silences">Silence a rule from an alert&apos;s page, or create one below.</EmptyState>
      ) : (
        <TableScroll boxed label="Silences table, scrolls sideways on small screens">
          <table className={`${TABLE} ${STACKED.table}`} data-testid="silences-table">
            <caption className="sr-only">Silences with what they match, when they start and end, and why</caption>
            <thead className={`${THEAD} ${STACKED.thead}`}>
              <tr>
                {["Status", "Matches", "Starts", "Ends", "Comment", "By"].map((c) => (
                  <th key={c} scope="col" className={`${CELL_COMPACT} font-medium`}>
                    {c}
                  </th>
                ))}
                <th scope="col" className={`${CELL_COMPACT} font-medium`}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className={`${TBODY} ${STACKED.tbody}`}>
              {sorted.map((s) => (
                <tr key={s.id} className={`align-top ${STACKED.row}`} data-testid="silence-row" data-status={s.status}>
                  <td {...stackedCell("Status")}>
                    <Badge tone={STATUS_TONE[s.status]}>{s.status}</Badge>
                  </td>
                  <td {...stackedCell("Matches", "min-w-48")}>{matches(s, clientName, ruleName)}</td>
                  <td {...stackedCell("Starts", "tabular-nums")}>{formatTimestamp(s.startsAt)}</td>
                  <td {...stackedCell("Ends", "tabular-nums")}>{formatTimestamp(s.endsAt)}</td>
                  <td {...stackedCell("Comment")}>{s.comment}</td>
                  <td {...stackedCell("By")}>{s.createdBy ?? ""}</td>
                  <td {...stackedCell("Actions")}>
                    {s.status !== "expired" && (
                      <ConfirmAction
                        label="End now"
                        accessibleLabel={`End the silence of ${matches(s, clientName, ruleName)}`}
                        question="End this silence now? Notifications are sent again from the next evaluation."
                        confirmLabel="End silence"
                        onConfirm={async () => {
                          await endSilence(s.id);
                          await queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <SilenceForm clients={clients} rules={rules} />
    </div>
  );
}
