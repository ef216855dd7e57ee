import { formatDistanceStrict } from "date-fns";
import { connection } from "next/server";
import { getDb } from "@/lib/db/client";
import { collectIntervalSeconds } from "@/lib/schedule";
import { listClientsWithCounts, type ClientSummary } from "@/lib/status/clients";
import { isStale } from "@/lib/status/health";

const number = new Intl.NumberFormat("en-US");

/** Home: every client with its counts and data freshness. */
export default async function HomePage() {
  // Rendered per request; without this, `next build` would prerender and open the database.
  await connection();
  const clients = await listClientsWithCounts(await getDb());
  const now = new Date();
  const interval = collectIntervalSeconds(now);

  return (
    <section aria-labelledby="clients-heading">
      <h1 id="clients-heading" className="text-2xl font-semibold">
        Clients
      </h1>
      {clients.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-gray-300 bg-white p-8 text-center text-gray-600">
          No clients yet. Set <code>N8N_BASE_URL</code> and <code>N8N_API_KEY</code>, or start with{" "}
          <code>FLOWSCOPE_DEMO=1</code>, to collect from n8n.
        </p>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-lg border border-gray-200 bg-white">
          <table className="min-w-full divide-y divide-gray-200 text-sm">
            <caption className="sr-only">Clients, their execution counts and last sync</caption>
            <thead className="bg-gray-50 text-left text-gray-600">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">Client</th>
                <th scope="col" className="px-4 py-3 text-right font-medium">Workflows</th>
                <th scope="col" className="px-4 py-3 text-right font-medium">Executions</th>
                <th scope="col" className="px-4 py-3 text-right font-medium">Production</th>
                <th scope="col" className="px-4 py-3 font-medium">Last sync</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {clients.map((c) => (
                <ClientRow key={c.id} client={c} now={now} intervalSeconds={interval} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ClientRow({ client, now, intervalSeconds }: { client: ClientSummary; now: Date; intervalSeconds: number }) {
  // A first sync still running is shown as "Syncing…", not yet as stale.
  const firstSync = !client.lastSyncAt && client.lastRun?.status === "running";
  const stale = client.active && !firstSync && isStale(client.lastSyncAt, now, intervalSeconds);
  return (
    <tr data-testid={`client-row-${client.slug}`}>
      <th scope="row" className="px-4 py-3 text-left font-medium">
        {client.name}
        {!client.active && <span className="ml-2 text-xs font-normal text-gray-500">(inactive)</span>}
      </th>
      <td className="px-4 py-3 text-right tabular-nums" data-testid="workflow-count">
        {number.format(client.workflowCount)}
      </td>
      <td className="px-4 py-3 text-right tabular-nums" data-testid="execution-count">
        {number.format(client.executionCount)}
      </td>
      <td className="px-4 py-3 text-right tabular-nums" data-testid="production-count">
        {number.format(client.productionExecutionCount)}
      </td>
      <td className="px-4 py-3" data-testid="last-sync">
        <LastSync client={client} now={now} stale={stale} />
      </td>
    </tr>
  );
}

function LastSync({ client, now, stale }: { client: ClientSummary; now: Date; stale: boolean }) {
  const failed = client.lastRun?.status === "error";
  return (
    <span className="flex flex-wrap items-center gap-2">
      {client.lastSyncAt ? (
        <time dateTime={client.lastSyncAt.toISOString()} title={client.lastSyncAt.toISOString()}>
          {formatDistanceStrict(client.lastSyncAt, now, { addSuffix: true })}
        </time>
      ) : (
        <span className="text-gray-500">{client.lastRun?.status === "running" ? "Syncing…" : "Never"}</span>
      )}
      {/* Text, not colour alone, carries the state. */}
      {stale && <Badge tone="amber">Stale</Badge>}
      {failed && <Badge tone="red">Last sync failed</Badge>}
    </span>
  );
}

function Badge({ tone, children }: { tone: "amber" | "red"; children: string }) {
  const colours = tone === "red" ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-800";
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${colours}`}>{children}</span>;
}
