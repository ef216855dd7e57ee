"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { PublicApiToken } from "@/lib/accounts/tokens";
import { formatDateTime, revokeToken, tokensQuery } from "./account-api";
import { ConfirmAction } from "./confirm-action";

/** Every token, newest first: enough to tell them apart (name, prefix), never the token. */
export function TokensTable() {
  const queryClient = useQueryClient();
  const { data: tokens } = useSuspenseQuery(tokensQuery());
  if (tokens.length === 0)
    return <EmptyState title="No API tokens yet">Create one for a script or another service.</EmptyState>;

  async function revoke(token: PublicApiToken) {
    await revokeToken(token.id);
    await queryClient.invalidateQueries({ queryKey: tokensQuery().queryKey });
  }

  return (
    <div
      className="overflow-x-auto rounded-lg border border-gray-200 bg-white"
      tabIndex={0}
      role="region"
      aria-label="API tokens table, scrolls sideways on small screens"
    >
      <table className="min-w-full divide-y divide-gray-200 text-sm">
        <caption className="sr-only">Every API token with its prefix, scope, creation, last use and revocation</caption>
        <thead className="bg-gray-50 text-left text-gray-700">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">
              Name
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Prefix
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Scope
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Created
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Last used
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {tokens.map((t) => (
            <tr key={t.id} data-testid={`token-row-${t.id}`}>
              <th scope="row" className="px-4 py-3 text-left font-medium">
                {t.name}
              </th>
              <td className="px-4 py-3 font-mono text-xs">{t.prefix}…</td>
              <td className="px-4 py-3">{t.clientName ?? "Global"}</td>
              <td className="whitespace-nowrap px-4 py-3 tabular-nums">{formatDateTime(t.createdAt)}</td>
              <td className="whitespace-nowrap px-4 py-3 tabular-nums">
                {t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"}
              </td>
              <td className="px-4 py-3">
                {t.revokedAt ? (
                  <span className="flex flex-col items-start gap-1">
                    <Badge tone="red">Revoked</Badge>
                    <span className="whitespace-nowrap text-xs text-gray-600 tabular-nums">
                      {formatDateTime(t.revokedAt)}
                    </span>
                  </span>
                ) : (
                  <span className="flex flex-col items-start gap-2">
                    <Badge tone="green">Active</Badge>
                    <ConfirmAction
                      label="Revoke"
                      accessibleLabel={`Revoke ${t.name} (${t.prefix}…)`}
                      question={`Revoke “${t.name}”? Anything using it gets 401 from now on. This cannot be undone.`}
                      confirmLabel="Revoke token"
                      onConfirm={() => revoke(t)}
                    />
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
