"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { formatCount, formatTimestamp } from "@/components/format/format";
import { Badge } from "@/components/ui/badge";
import type { AdminClientView } from "@/lib/api/admin-client-view";
import { CARD } from "@/components/ui/card";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT } from "@/components/ui/message";
import { errorText } from "./api";
import { ClientEditForm } from "./client-edit-form";
import { CoveragePanel } from "./coverage-panel";
import { RulesEditor } from "./rules-editor";
import { SyncHistory } from "./sync-history";
import { SyncNow } from "./sync-now";
import { TestConnectionButton } from "./test-connection-button";
import { useAdminClient } from "./use-admin-client";
import { describeClientZone } from "./zone-text";

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className={CARD}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      <div className="mt-4">{children}</div>
    </section>
  );
}

/** One client's admin page: settings and connection, time zone, filter rules, syncs. */
export function ClientEditor({
  initialData,
  timeZones,
}: {
  initialData: AdminClientView;
  /** Zone names for the time zone field's suggestions. */
  timeZones: readonly string[];
}) {
  const { data, error } = useAdminClient(initialData.id, initialData);
  const client = data ?? initialData;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin" className={`text-sm ${TEXT_LINK}`}>
          <span aria-hidden="true">← </span>All clients
        </Link>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold">{client.name}</h1>
          <Badge tone={client.active ? "green" : "gray"}>{client.active ? "Active" : "Inactive"}</Badge>
        </div>
        <p className="mt-1 text-sm text-gray-600">
          {formatCount(client.counts.workflows)} workflows · {formatCount(client.counts.executions)} executions stored (
          {formatCount(client.counts.productionExecutions)} production) · last sync{" "}
          {client.lastSyncAt ? formatTimestamp(client.lastSyncAt) : "never"} ·{" "}
          <Link href={`/clients/${encodeURIComponent(client.slug)}`} className={TEXT_LINK}>
            Dashboard
          </Link>
        </p>
        <p className="mt-1 text-sm text-gray-600" data-testid="client-time-zone">
          Time zone {client.timeZone}. {describeClientZone(client)}
        </p>
        {error && (
          <p role="alert" className={`mt-2 ${ALERT}`}>
            The client could not be refreshed: {errorText(error)}
          </p>
        )}
      </div>
      <Section id="settings-heading" title="Connection and settings">
        <ClientEditForm client={client} timeZones={timeZones} />
        <div className="mt-6 border-t border-gray-100 pt-4">
          <TestConnectionButton clientId={client.id} />
        </div>
      </Section>
      <Section id="rules-heading" title="Filter rules">
        <RulesEditor client={client} />
      </Section>
      <Section id="coverage-heading" title="History coverage">
        <CoveragePanel clientId={client.id} />
      </Section>
      <Section id="sync-heading" title="Sync">
        <SyncNow clientId={client.id} active={client.active} timeZone={client.timeZone} />
        <h3 className="mb-2 mt-6 text-base font-semibold">Sync history</h3>
        <SyncHistory clientId={client.id} timeZone={client.timeZone} />
      </Section>
    </div>
  );
}
