"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { AdminClientView, UpdatedAdminClient } from "@/lib/api/admin-client-view";
import { buttonClass } from "@/components/ui/button";
import { Field, SwitchField } from "@/components/ui/field";
import { ALERT, SUCCESS } from "@/components/ui/message";
import { adminApi, adminKeys, errorText } from "./api";
import { optionalNumber } from "./numbers";
import { TimeZoneField } from "./time-zone-field";
import { describeZoneChange } from "./zone-text";

function formOf(client: AdminClientView) {
  return {
    name: client.name,
    url: client.n8nBaseUrl,
    apiKey: "",
    concurrency: String(client.concurrencyLimit),
    minutes: String(client.defaultMinutesSaved),
    timeZone: client.timeZone,
    active: client.active,
  };
}

/**
 * Edits a client's connection and settings. The key field starts empty: the stored key
 * is never sent to the browser, and an empty field keeps it. The time zone goes in the
 * same PATCH: the server saves the other fields, then rebuilds the day, week and month
 * figures in a new zone, and the answer says from when the new zone applies.
 */
export function ClientEditForm({ client, timeZones }: { client: AdminClientView; timeZones: readonly string[] }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => formOf(client));
  const set =
    (key: "name" | "url" | "apiKey" | "concurrency" | "minutes" | "timeZone") => (e: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [key]: e.target.value }));

  const save = useMutation({
    mutationFn: () =>
      adminApi<UpdatedAdminClient>(`/api/v1/admin/clients/${client.id}`, {
        method: "PATCH",
        body: {
          name: form.name,
          n8nBaseUrl: form.url,
          ...(form.apiKey.trim() ? { n8nApiKey: form.apiKey } : {}),
          concurrencyLimit: optionalNumber(form.concurrency),
          defaultMinutesSaved: optionalNumber(form.minutes),
          active: form.active,
          // The server changes the zone only when it differs from the client's.
          timeZone: form.timeZone,
        },
      }),
    onSuccess: async ({ zoneChange: _, ...saved }) => {
      queryClient.setQueryData<AdminClientView>(adminKeys.client(client.id), saved);
      setForm(formOf(saved));
      await queryClient.invalidateQueries({ queryKey: adminKeys.clients });
    },
    // The other fields may be saved when the zone change fails: show what the server holds.
    onError: () => queryClient.invalidateQueries({ queryKey: adminKeys.client(client.id) }),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate aria-label="Client settings">
      <Field label="Name" name="name" required value={form.name} onChange={set("name")} />
      <Field
        label="n8n URL"
        name="n8nBaseUrl"
        type="url"
        inputMode="url"
        required
        value={form.url}
        onChange={set("url")}
      />
      <Field
        label="New API key"
        name="n8nApiKey"
        type="password"
        autoComplete="off"
        hint={`Current key: ${client.apiKeyHint ?? "no hint stored"}. Leave empty to keep it.`}
        value={form.apiKey}
        onChange={set("apiKey")}
      />
      <Field
        label="Concurrency limit"
        name="concurrencyLimit"
        type="number"
        min={1}
        max={10000}
        step={1}
        inputMode="numeric"
        value={form.concurrency}
        onChange={set("concurrency")}
      />
      <Field
        label="Minutes saved per execution"
        name="defaultMinutesSaved"
        type="number"
        min={0}
        step="any"
        inputMode="decimal"
        hint="Default for workflows that set no time saved."
        value={form.minutes}
        onChange={set("minutes")}
      />
      <TimeZoneField
        timeZones={timeZones}
        value={form.timeZone}
        onChange={set("timeZone")}
        hint="Where the client's days, weeks and months start, e.g. Europe/Berlin. A new zone rebuilds the day, week and month figures, which can take a while."
      />
      <SwitchField
        label="Active"
        hint="Inactive clients are not synced; their history is kept."
        checked={form.active}
        onChange={(e) => setForm((f) => ({ ...f, active: e.target.checked }))}
      />
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <button type="submit" className={buttonClass("primary")} disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save changes"}
        </button>
        <div aria-live="polite" className="min-w-0 flex-1">
          {save.error && (
            <p role="alert" className={ALERT}>
              Not saved: {errorText(save.error)}
            </p>
          )}
          {save.isSuccess && !save.isPending && (
            <p role="status" className={SUCCESS}>
              Saved.{save.data.zoneChange && ` ${describeZoneChange(save.data.zoneChange)}`}
            </p>
          )}
        </div>
      </div>
    </form>
  );
}
