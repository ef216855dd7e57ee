"use client";

import Link from "next/link";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { ConfirmAction } from "@/components/admin/accounts/confirm-action";
import { SeverityBadge } from "@/components/alerts/alert-badges";
import { formatSeconds, kindLabel } from "@/components/alerts/alert-format";
import {
  ALERTS_KEY,
  channelsQuery,
  deleteRule,
  errorText,
  rulesQuery,
  setRuleEnabled,
  type AlertRuleView,
} from "@/components/alerts/alerts-api";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SwitchField } from "@/components/ui/field";
import { TEXT_LINK } from "@/components/ui/link";
import { CELL_COMPACT, STACKED, TABLE, TBODY, THEAD, TableScroll, stackedCell } from "@/components/ui/table";
import { formatTimestamp } from "@/components/format/format";
import { describeParams } from "./rule-description";

const COLUMNS = [
  "Rule",
  "Enabled",
  "Condition",
  "Scope",
  "Severity",
  "For / repeat",
  "Channels",
  "Last evaluation",
  "",
];

function EnabledSwitch({ rule }: { rule: AlertRuleView }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => setRuleEnabled(rule.id, enabled),
    onSettled: () => queryClient.invalidateQueries({ queryKey: rulesQuery().queryKey }),
  });
  // Shows the change at once; the list's refetch confirms it (or puts it back on an error).
  const checked = toggle.isPending ? (toggle.variables ?? rule.enabled) : rule.enabled;
  return (
    <span className="block">
      <SwitchField
        label={
          <>
            {checked ? "On" : "Off"}
            <span className="sr-only">: {rule.name} enabled</span>
          </>
        }
        checked={checked}
        disabled={toggle.isPending}
        onChange={(e) => toggle.mutate(e.currentTarget.checked)}
      />
      {toggle.isError && (
        <span role="alert" className="mt-1 block text-xs text-red-800">
          {errorText(toggle.error)}
        </span>
      )}
    </span>
  );
}

function RuleRow({ rule, channelName }: { rule: AlertRuleView; channelName: (id: number) => string }) {
  const queryClient = useQueryClient();
  return (
    <tr className={`align-top ${STACKED.row}`} data-testid="rule-row" data-rule-id={rule.id}>
      <th scope="row" className={`${CELL_COMPACT} text-left font-medium max-sm:block`}>
        <Link href={`/admin/alerts/rules/${rule.id}`} className={TEXT_LINK}>
          {rule.name}
        </Link>
      </th>
      <td {...stackedCell("Enabled")}>
        <EnabledSwitch rule={rule} />
      </td>
      <td {...stackedCell("Condition", "min-w-48")}>
        <span className="block">
          <span className="font-medium">{kindLabel(rule.kind)}</span>
          <span className="block text-xs text-gray-600">{describeParams(rule.params)}</span>
        </span>
      </td>
      <td {...stackedCell("Scope")}>
        <span className="block">
          {rule.clientName ?? "All clients"}
          {rule.workflowName && <span className="block text-xs text-gray-600">{rule.workflowName}</span>}
        </span>
      </td>
      <td {...stackedCell("Severity")}>
        <SeverityBadge severity={rule.severity} />
      </td>
      <td {...stackedCell("For / repeat", "sm:whitespace-nowrap")}>
        {rule.forSeconds === 0 ? "fires at once" : `for ${formatSeconds(rule.forSeconds)}`} ·{" "}
        {rule.repeatSeconds === 0 ? "no reminders" : `repeat every ${formatSeconds(rule.repeatSeconds)}`}
      </td>
      <td {...stackedCell("Channels")}>
        {rule.channelIds.length === 0 ? (
          <span className="text-gray-600">none</span>
        ) : (
          rule.channelIds.map(channelName).join(", ")
        )}
      </td>
      <td {...stackedCell("Last evaluation", "tabular-nums")}>
        <span className="block">
          {rule.lastEvaluatedAt ? formatTimestamp(rule.lastEvaluatedAt) : "not yet"}
          {rule.lastError && <span className="mt-1 block text-xs text-red-800">{rule.lastError}</span>}
        </span>
      </td>
      <td {...stackedCell("Actions")}>
        <span className="flex flex-wrap justify-end gap-2 sm:justify-start">
          <Link
            href={`/admin/alerts/rules/${rule.id}`}
            className={buttonClass("secondary", "sm")}
            aria-label={`Edit ${rule.name}`}
          >
            Edit
          </Link>
          <ConfirmAction
            label="Delete"
            accessibleLabel={`Delete ${rule.name}`}
            question={`Delete “${rule.name}” with its alerts and their history? This cannot be undone.`}
            confirmLabel="Delete rule"
            onConfirm={async () => {
              await deleteRule(rule.id);
              await queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
            }}
          />
        </span>
      </td>
    </tr>
  );
}

/** Every rule with its condition in words, scope, timing, channels and how its last evaluation went. */
export function RulesTable() {
  const { data: rules } = useSuspenseQuery(rulesQuery());
  const { data: channels } = useSuspenseQuery(channelsQuery());
  if (rules.length === 0)
    return (
      <EmptyState title="No alert rules yet">
        Create one, try it against the stored history, and save it when its thresholds look right.
      </EmptyState>
    );
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const channelName = (id: number) => names.get(id) ?? `channel ${id}`;
  return (
    <TableScroll boxed label="Alert rules table, scrolls sideways on small screens">
      <table className={`${TABLE} ${STACKED.table}`} data-testid="rules-table">
        <caption className="sr-only">
          Every alert rule with whether it is enabled, its condition, scope, severity, timing, channels and last
          evaluation
        </caption>
        <thead className={`${THEAD} ${STACKED.thead}`}>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={`${CELL_COMPACT} font-medium`}>
                {c || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`${TBODY} ${STACKED.tbody}`}>
          {rules.map((r) => (
            <RuleRow key={r.id} rule={r} channelName={channelName} />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
