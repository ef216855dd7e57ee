"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { KIND_LABEL } from "@/components/alerts/alert-format";
import {
  ALERTS_KEY,
  clientWorkflowsQuery,
  createRule,
  errorText,
  fieldPathOf,
  updateRule,
  type AlertRuleView,
  type ChannelView,
  type RuleBody,
} from "@/components/alerts/alerts-api";
import { buttonClass } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import { ALERT } from "@/components/ui/message";
import { ALERT_RULE_KINDS, ALERT_SEVERITIES, type AlertSeverity } from "@/lib/core/vocabulary";
import { BacktestPanel } from "./backtest-panel";
import { KindFields } from "./kind-fields";
import { bodyOf, draftOf, isKind, NEW_RULE, paramsOf, type ParamValue, type RuleDraft } from "./rule-draft";
import { Group, NotifyFields, ScopeFields } from "./rule-fields";

/** A number of minutes, with its unit beside the label. */
const minutesLabel = (label: string) => (
  <>
    {label} <span className="font-normal text-gray-600">(minutes)</span>
  </>
);

/**
 * Creates or edits an alert rule: scope, condition with the kind's own fields, timing in
 * minutes (sent as seconds), channels and labels, and a backtest of the rule as it
 * stands before it is saved. One problem box under the form shows why the API (or the
 * form) refused it, and the field it names is marked invalid.
 */
export function RuleEditor({
  rule,
  clients,
  channels,
}: {
  rule?: AlertRuleView;
  clients: ReadonlyArray<{ id: number; name: string }>;
  channels: readonly ChannelView[];
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftOf(rule) : NEW_RULE));
  const [problem, setProblem] = useState<unknown>(null);
  const errorId = useId();
  const workflows = useQuery({ ...clientWorkflowsQuery(Number(draft.clientId)), enabled: draft.clientId !== "" });
  const save = useMutation({
    mutationFn: (body: RuleBody) => (rule ? updateRule(rule.id, body) : createRule(body)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
      router.push("/admin/alerts#rules");
      router.refresh();
    },
    onError: setProblem,
  });

  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setParam = (name: string, value: ParamValue) =>
    setDraft((d) => ({ ...d, paramsByKind: { ...d.paramsByKind, [d.kind]: { ...paramsOf(d), [name]: value } } }));

  const field = problem ? fieldPathOf(problem) : null;
  /** Marks a control the refusal named, e.g. "labels" for "labels.team: …". */
  const refusal = (name: string) => ({
    invalid: field !== null && (field === name || field.startsWith(`${name}.`)),
    errorId,
  });

  const clientName = new Map(clients.map((c) => [c.id, c.name]));
  const workflowName = new Map((workflows.data ?? []).map((w) => [w.id, w.name]));
  /** "client:3" or "workflow:12" in words, for the backtest's episodes. */
  const subjectName = (subject: string) => {
    const [type, id] = subject.split(":");
    const n = Number(id);
    if (type === "client") return clientName.get(n) ?? `client ${id}`;
    return workflowName.get(n) ?? `workflow ${id}`;
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const made = bodyOf(draft);
    if (!made.ok) return setProblem(new Error(made.message));
    setProblem(null);
    save.mutate(made.body);
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby="rule-heading" className="space-y-5" noValidate>
      <h1 id="rule-heading" className="text-2xl font-semibold">
        {rule ? `Edit ${rule.name}` : "New alert rule"}
      </h1>
      <div className={`space-y-6 ${CARD}`}>
        <Group legend="Rule">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Name"
              name="name"
              required
              maxLength={200}
              autoComplete="off"
              value={draft.name}
              onChange={(e) => set("name", e.currentTarget.value)}
              placeholder="e.g. Failure rate above 10%"
              {...refusal("name")}
            />
            <SelectField
              label="Severity"
              name="severity"
              value={draft.severity}
              onChange={(e) => set("severity", e.currentTarget.value as AlertSeverity)}
              {...refusal("severity")}
            >
              {ALERT_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </SelectField>
          </div>
        </Group>

        <Group legend="Scope">
          <ScopeFields
            clients={clients}
            clientId={draft.clientId}
            workflowId={draft.workflowId}
            workflows={{
              data: workflows.data,
              isPending: draft.clientId !== "" && workflows.isPending,
              error: workflows.isError ? errorText(workflows.error) : null,
            }}
            onClient={(clientId) => setDraft((d) => ({ ...d, clientId, workflowId: "" }))}
            onWorkflow={(workflowId) => set("workflowId", workflowId)}
            refusal={refusal}
          />
        </Group>

        <Group legend="Condition">
          <SelectField
            label="Kind"
            name="kind"
            value={draft.kind}
            onChange={(e) => {
              const kind = e.currentTarget.value;
              if (isKind(kind)) set("kind", kind);
            }}
            className="sm:max-w-sm"
            {...refusal("params.kind")}
          >
            {ALERT_RULE_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </SelectField>
          <KindFields
            kind={draft.kind}
            values={paramsOf(draft)}
            onChange={setParam}
            invalidField={field}
            errorId={errorId}
          />
        </Group>

        <Group legend="Timing">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label={minutesLabel("For")}
              name="forMinutes"
              type="number"
              inputMode="numeric"
              min={0}
              max={10_080}
              value={draft.forMinutes}
              onChange={(e) => set("forMinutes", e.currentTarget.value)}
              hint="How long the condition must hold before the alert fires; 0 fires at once. Up to 7 days."
              {...refusal("forSeconds")}
            />
            <Field
              label={minutesLabel("Repeat")}
              name="repeatMinutes"
              type="number"
              inputMode="numeric"
              min={0}
              max={43_200}
              value={draft.repeatMinutes}
              onChange={(e) => set("repeatMinutes", e.currentTarget.value)}
              hint="Reminders while it fires: 0 for none, else at least 5 minutes."
              {...refusal("repeatSeconds")}
            />
          </div>
        </Group>

        <Group legend="Notify">
          <NotifyFields
            channels={channels}
            channelIds={draft.channelIds}
            labels={draft.labels}
            enabled={draft.enabled}
            onChannels={(ids) => set("channelIds", ids)}
            onLabels={(text) => set("labels", text)}
            onEnabled={(on) => set("enabled", on)}
            refusal={refusal}
          />
        </Group>
      </div>

      <div className={CARD}>
        <BacktestPanel body={() => bodyOf(draft)} onProblem={setProblem} subjectName={subjectName} />
      </div>

      {problem !== null && (
        <p id={errorId} role="alert" className={ALERT} data-testid="rule-problem">
          {errorText(problem)}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={save.isPending}>
          {save.isPending ? "Saving…" : rule ? "Save rule" : "Create rule"}
        </button>
        <Link href="/admin/alerts#rules" className={buttonClass("secondary")}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
