import type { Metadata } from "next";
import { Suspense } from "react";
import { tokensQuery } from "@/components/admin/accounts/account-api";
import { CreateTokenForm } from "@/components/admin/accounts/create-token-form";
import { SeededQuery } from "@/components/admin/accounts/seeded-query";
import { TokensTable } from "@/components/admin/accounts/tokens-table";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { Skeleton } from "@/components/ui/skeleton";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { listApiTokens } from "@/lib/accounts/tokens";
import { listClientChoices } from "@/lib/accounts/users";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "API tokens" };

/** Admins create (shown once) and revoke API tokens; list and client choices load on the server. */
export default async function TokensPage() {
  await requirePageViewer("admin");
  const db = await getDb();
  const [tokens, clients] = await Promise.all([listApiTokens(db), listClientChoices(db)]);
  return (
    <section aria-labelledby="tokens-heading" className="space-y-6">
      <div className="space-y-1">
        <h1 id="tokens-heading" className="text-2xl font-semibold">
          API tokens
        </h1>
        <p className="text-sm text-gray-700">
          For scripts and services: <code>Authorization: Bearer &lt;token&gt;</code>. A global token reads every client;
          a client token only its client.
        </p>
      </div>
      <CreateTokenForm clients={clients} />
      <WidgetErrorBoundary label="API tokens" resetKey="tokens">
        <Suspense fallback={<Skeleton label="API tokens" className="h-40" />}>
          <SeededQuery queryKey={tokensQuery().queryKey} data={tokens}>
            <TokensTable />
          </SeededQuery>
        </Suspense>
      </WidgetErrorBoundary>
    </section>
  );
}
