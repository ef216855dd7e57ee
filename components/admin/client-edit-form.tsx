"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { AdminClient } from "@/lib/metrics/status/types";
import { buttonClass } from "@/components/ui/button";
import { Field, SwitchField } from "@/components/ui/field";
import { ALERT, SUCCESS } from "@/components/ui/message";
import { adminApi, adminKeys, errorText } from "./api";
import { optionalNumber } from "./numbers";

function formOf(client: AdminClient) {
  return {
    name: client.name,
    url: client.n8nBaseUrl,
    apiKey: "",
    concurrency: String(client.concurrencyLimit),
    minutes: String(client.defaultMinutesSaved),
    active: client.active,
  };
}

/**
 * Edits a client's connection and settings. The key field starts empty: the stored key
 * is never sent to the browser, and an empty field keeps it.
 */
export function ClientEditForm({ client }: { client: AdminClient }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => formOf(client));
  const set = (key: "name" | "url" | "apiKey" | "concurrency" | "minutes") => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const save = useMutation({
    mutationFn: () =>
      adminApi<AdminClient>(`/api/v1/admin/clients/${client.id}`, {
        method: "PATCH",
        body: {
          name: form.name,
          n8nBaseUrl: form.url,
          ...(form.apiKey.trim() ? { n8nApiKey: form.apiKey } : {}),
          concurrencyLimit: optionalNumber(form.concurrency),
          defaultMinutesSaved: optionalNumber(form.minutes),
          active: form.active,
        },
      }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(adminKeys.client(client.id), saved);
      setForm(formOf(saved));
      await queryClient.invalidateQueries({ queryKey: adminKeys.clients });
    },
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
              Saved.
            </p>
          )}
        </div>
      </div>
    </form>
  );
}
