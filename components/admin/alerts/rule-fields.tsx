"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import type { ChannelView } from "@/components/alerts/alerts-api";
import { SelectField, SwitchField, TextAreaField } from "@/components/ui/field";
import { TEXT_LINK } from "@/components/ui/link";

/** Marks a control invalid and ties it to the form's problem box. */
export type Refusal = (name: string) => { invalid: boolean; errorId: string };

type Choice = { id: number; name: string };

export function Group({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-4">
      <legend className="mb-2 text-base font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}

/** The client (or all clients) and, for one client, optionally one of its workflows. */
export function ScopeFields({
  clients,
  clientId,
  workflowId,
  workflows,
  onClient,
  onWorkflow,
  refusal,
}: {
  clients: readonly Choice[];
  clientId: string;
  workflowId: string;
  /** The chosen client's workflows: loading (undefined data), failed (error), or loaded. */
  workflows: { data: readonly Choice[] | undefined; isPending: boolean; error: string | null };
  onClient: (clientId: string) => void;
  onWorkflow: (workflowId: string) => void;
  refusal: Refusal;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <SelectField
        label="Client"
        name="clientId"
        value={clientId}
        onChange={(e) => onClient(e.currentTarget.value)}
        hint={clientId === "" ? "Every client, each its own subject." : "Only this client's runs."}
        {...refusal("clientId")}
      >
        <option value="">All clients</option>
        {clients.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Workflow"
        name="workflowId"
        value={workflowId}
        onChange={(e) => onWorkflow(e.currentTarget.value)}
        disabled={clientId === "" || workflows.isPending}
        hint={
          clientId === ""
            ? "Choose a client to watch one of its workflows."
            : workflows.isPending
              ? "Loading the client's workflows…"
              : workflows.error
                ? `The workflows could not be loaded: ${workflows.error}`
                : "Optional: only this workflow is watched."
        }
        {...refusal("workflowId")}
      >
        <option value="">All workflows</option>
        {(workflows.data ?? []).map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

/** Where the alerts go (channels), the labels they carry, and whether the rule runs at all. */
export function NotifyFields({
  channels,
  channelIds,
  labels,
  enabled,
  onChannels,
  onLabels,
  onEnabled,
  refusal,
}: {
  channels: readonly ChannelView[];
  channelIds: number[];
  labels: string;
  enabled: boolean;
  onChannels: (ids: number[]) => void;
  onLabels: (text: string) => void;
  onEnabled: (on: boolean) => void;
  refusal: Refusal;
}) {
  const channelsRefused = refusal("channelIds");
  return (
    <>
      {channels.length === 0 ? (
        <p className="text-sm text-gray-700">
          No channels yet: alerts still show in the list and the bell.{" "}
          <Link href="/admin/alerts#channels" className={TEXT_LINK}>
            Add a channel
          </Link>
          .
        </p>
      ) : (
        <fieldset aria-describedby={channelsRefused.invalid ? channelsRefused.errorId : undefined}>
          <legend className="text-sm font-medium text-gray-800">Channels</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {channels.map((c) => (
              <label key={c.id} className="flex items-center gap-2 text-sm text-gray-800">
                <input
                  type="checkbox"
                  className="h-5 w-5 rounded border-gray-300 text-indigo-600"
                  checked={channelIds.includes(c.id)}
                  onChange={(e) =>
                    onChannels(e.currentTarget.checked ? [...channelIds, c.id] : channelIds.filter((id) => id !== c.id))
                  }
                />
                {c.name} <span className="text-xs text-gray-600">({c.kind})</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <TextAreaField
        label="Labels"
        name="labels"
        rows={3}
        value={labels}
        onChange={(e) => onLabels(e.currentTarget.value)}
        placeholder={"team=ops\nservice=billing"}
        hint="key=value, one a line (up to 20). Sent with notifications; silences can match them."
        {...refusal("labels")}
      />
      <SwitchField
        label="Enabled"
        name="enabled"
        checked={enabled}
        onChange={(e) => onEnabled(e.currentTarget.checked)}
        hint="A disabled rule is not evaluated."
      />
    </>
  );
}
