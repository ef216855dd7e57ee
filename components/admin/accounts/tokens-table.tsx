"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { PublicApiToken } from "@/lib/accounts/tokens";
import { formatTimestamp } from "@/components/format/format";
import { CELL, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import { revokeToken, tokensQuery } from "./account-api";
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
    <TableScroll boxed label="API tokens table, scrolls sideways on small screens">
      <table className={TABLE}>
        <caption className="sr-only">Every API token with its prefix, scope, creation, last use and revocation</caption>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={`${CELL} font-medium`}>
              Name
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Prefix
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Scope
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Created
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Last used
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Status
            </th>
          </tr>
        </thead>
        <tbody className={TBODY}>
          {tokens.map((t) => (
            <tr key={t.id} data-testid={`token-row-${t.id}`}>
              <th scope="row" className={`${CELL} text-left font-medium`}>
                {t.name}
              </th>
              <td className={`${CELL} font-mono text-xs`}>{t.prefix}…</td>
              <td className={CELL}>{t.clientName ?? "Global"}</td>
              <td className={`${CELL} whitespace-nowrap tabular-nums`}>{formatTimestamp(t.createdAt)}</td>
              <td className={`${CELL} whitespace-nowrap tabular-nums`}>
                {t.lastUsedAt ? formatTimestamp(t.lastUsedAt) : "Never"}
              </td>
              <td className={CELL}>
                {t.revokedAt ? (
                  <span className="flex flex-col items-start gap-1">
                    <Badge tone="red">Revoked</Badge>
                    <span className="whitespace-nowrap text-xs text-gray-600 tabular-nums">
                      {formatTimestamp(t.revokedAt)}
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
    </TableScroll>
  );
}
