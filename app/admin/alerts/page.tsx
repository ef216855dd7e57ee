import type { Metadata } from "next";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { SeededQuery } from "@/components/admin/accounts/seeded-query";
import { ChannelsPanel } from "@/components/admin/alerts/channels-panel";
import { EvaluateButton } from "@/components/admin/alerts/evaluate-button";
import { RulesTable } from "@/components/admin/alerts/rules-table";
import { SilencesPanel } from "@/components/admin/alerts/silences-panel";
import { channelsQuery, rulesQuery, silencesQuery } from "@/components/alerts/alerts-api";
import { buttonClass } from "@/components/ui/button";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { TEXT_LINK } from "@/components/ui/link";
import { Skeleton } from "@/components/ui/skeleton";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { listClientChoices } from "@/lib/accounts/users";
import { listChannels } from "@/lib/alerts/channels";
import { listRules } from "@/lib/alerts/rule-store";
import { listSilences } from "@/lib/alerts/silences";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "Alerts" };

/** As the API answers: Dates become ISO strings, so the seeded cache holds what the browser would fetch. */
const asJson = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="scroll-mt-4 space-y-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * Admin → Alerts: the rules (each edited, and tried against history, on its own page),
 * the channels notifications go to, and the silences holding them back. The lists load
 * here, on the server; the page then keeps them fresh through the API.
 */
export default async function AdminAlertsPage() {
  await requirePageViewer("admin");
  const db = await getDb();
  const [rules, channels, silences, clients] = await Promise.all([
    listRules(db),
    listChannels(db),
    listSilences(db),
    listClientChoices(db),
  ]);
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p className="max-w-3xl text-sm text-gray-700">
          Rules are evaluated after every sync and every minute; an alert fires once its condition has held for the
          rule&apos;s “for”, notifies its channels, reminds at its repeat interval and says when it resolves. The{" "}
          <Link href="/alerts" className={TEXT_LINK}>
            alert list
          </Link>{" "}
          shows what fired.
        </p>
        <nav aria-label="Alerts sections">
          <ul className="flex flex-wrap gap-3 text-sm">
            {[
              ["rules", "Rules"],
              ["channels", "Channels"],
              ["silences", "Silences"],
            ].map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`} className={TEXT_LINK}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <SeededQuery queryKey={rulesQuery().queryKey} data={asJson(rules)}>
        <SeededQuery queryKey={channelsQuery().queryKey} data={asJson(channels)}>
          <SeededQuery queryKey={silencesQuery().queryKey} data={asJson(silences)}>
            <Section id="rules" title="Rules">
              <div className="flex flex-wrap items-center gap-3">
                <Link href="/admin/alerts/rules/new" className={buttonClass("primary")}>
                  New rule
                </Link>
                <EvaluateButton />
              </div>
              <WidgetErrorBoundary label="Alert rules" resetKey="rules">
                <Suspense fallback={<Skeleton label="alert rules" className="h-40" />}>
                  <RulesTable />
                </Suspense>
              </WidgetErrorBoundary>
            </Section>
            <Section id="channels" title="Channels">
              <WidgetErrorBoundary label="Channels" resetKey="channels">
                <Suspense fallback={<Skeleton label="channels" className="h-40" />}>
                  <ChannelsPanel />
                </Suspense>
              </WidgetErrorBoundary>
            </Section>
            <Section id="silences" title="Silences">
              <WidgetErrorBoundary label="Silences" resetKey="silences">
                <Suspense fallback={<Skeleton label="silences" className="h-40" />}>
                  <SilencesPanel clients={clients} />
                </Suspense>
              </WidgetErrorBoundary>
            </Section>
          </SeededQuery>
        </SeededQuery>
      </SeededQuery>
    </div>
  );
}
