"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { AdminClientView } from "@/lib/api/admin-client-view";
import type { ConnectionTest } from "@/lib/clients/test-connection";
import { buttonClass } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT, SUCCESS } from "@/components/ui/message";
import { adminApi, adminKeys, errorText } from "./api";
import { ConnectionResult } from "./connection-result";
import { optionalNumber } from "./numbers";
import { TimeZoneField } from "./time-zone-field";

const EMPTY = { name: "", url: "", apiKey: "", concurrency: "", minutes: "", timeZone: "" };

/**
 * Registers a client. "Test connection" tries the URL and key first without storing
 * anything; the key is sent once and from then on shown only as its last characters.
 * The time zone is set here at no cost (a new client has no figures to rebuild).
 */
export function NewClientForm({ timeZones }: { timeZones: readonly string[] }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const test = useMutation({
    mutationFn: () =>
      adminApi<ConnectionTest>("/api/v1/admin/test-connection", {
        method: "POST",
        body: { n8nBaseUrl: form.url, n8nApiKey: form.apiKey },
      }),
  });
  const create = useMutation({
    mutationFn: () =>
      adminApi<AdminClientView>("/api/v1/admin/clients", {
        method: "POST",
        body: {
          name: form.name,
          n8nBaseUrl: form.url,
          n8nApiKey: form.apiKey,
          concurrencyLimit: optionalNumber(form.concurrency),
          defaultMinutesSaved: optionalNumber(form.minutes),
          // Empty: the server's default, UTC.
          timeZone: form.timeZone.trim() || undefined,
        },
      }),
    onSuccess: async () => {
      setForm(EMPTY);
      test.reset();
      await queryClient.invalidateQueries({ queryKey: adminKeys.clients });
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <section aria-labelledby="new-client-heading" className={CARD}>
      <h2 id="new-client-heading" className="text-lg font-semibold">
        New client
      </h2>
      <form onSubmit={onSubmit} className="mt-4 grid gap-4 sm:grid-cols-2" noValidate>
        <Field label="Name" name="name" required autoComplete="off" value={form.name} onChange={set("name")} />
        <Field
          label="n8n URL"
          name="n8nBaseUrl"
          type="url"
          required
          inputMode="url"
          placeholder="https://n8n.example.com"
          hint="The address of the n8n editor."
          value={form.url}
          onChange={set("url")}
        />
        <Field
          label="API key"
          name="n8nApiKey"
          type="password"
          required
          autoComplete="off"
          hint="From n8n: Settings > n8n API. Stored encrypted; never shown again."
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
          placeholder="10"
          hint="Parallel executions this n8n can run."
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
          placeholder="0"
          hint="Default for workflows that set no time saved."
          value={form.minutes}
          onChange={set("minutes")}
        />
        <TimeZoneField
          timeZones={timeZones}
          placeholder="UTC"
          hint="Where the client's days, weeks and months start, e.g. Europe/Berlin. Empty: UTC."
          value={form.timeZone}
          onChange={set("timeZone")}
        />
        <div className="flex flex-wrap items-end gap-2 sm:col-span-2">
          <button type="submit" className={buttonClass("primary")} disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create client"}
          </button>
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={test.isPending || !form.url || !form.apiKey}
            onClick={() => test.mutate()}
          >
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
        </div>
      </form>
      <div className="mt-4 space-y-2" aria-live="polite">
        {test.isPending && (
          <p role="status" className="text-sm text-gray-700">
            Testing the connection…
          </p>
        )}
        {test.data && <ConnectionResult result={test.data} />}
        {test.error && (
          <p role="alert" className={ALERT}>
            {errorText(test.error)}
          </p>
        )}
        {create.error && (
          <p role="alert" className={ALERT}>
            The client was not created: {errorText(create.error)}
          </p>
        )}
        {create.data && (
          <p role="status" className={SUCCESS}>
            Created {create.data.name} (times in {create.data.timeZone}).{" "}
            <Link href={`/admin/clients/${create.data.id}`} className={TEXT_LINK}>
              Edit {create.data.name}, test its connection and sync it
            </Link>
            .
          </p>
        )}
      </div>
    </section>
  );
}
