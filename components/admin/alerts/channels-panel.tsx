"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { ConfirmAction } from "@/components/admin/accounts/confirm-action";
import { CopySecret } from "@/components/admin/accounts/copy-secret";
import {
  ALERTS_KEY,
  channelsQuery,
  deleteChannel,
  errorText,
  testChannel,
  type ChannelView,
  type SavedChannel,
} from "@/components/alerts/alerts-api";
import { Badge, type Tone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { CELL_COMPACT, STACKED, TABLE, TBODY, THEAD, TableScroll, stackedCell } from "@/components/ui/table";
import { formatMs, formatTimestamp } from "@/components/format/format";
import { ChannelForm } from "./channel-form";

const HEALTH_TONE: Record<ChannelView["health"], Tone> = { ok: "green", failing: "red", untested: "gray" };

/** A new webhook channel's signing secret, shown this once (only its ciphertext is stored). */
function SecretReveal({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const noteId = useId();
  return (
    <section
      aria-labelledby="channel-secret-heading"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
      data-testid="secret-reveal"
    >
      <h3 id="channel-secret-heading" className="font-semibold text-amber-950">
        Signing secret of “{name}”
      </h3>
      <p id={noteId} className="text-sm text-amber-950">
        Copy it to the receiver now: it will not be shown again. Verify each POST by its{" "}
        <code>x-flowscope-signature</code> header, <code>sha256=</code> HMAC-SHA256 of{" "}
        <code>&lt;x-flowscope-timestamp&gt;.&lt;body&gt;</code> under this secret.
      </p>
      <CopySecret label="Signing secret" value={secret} what="secret" describedBy={noteId} onDone={onDone} />
    </section>
  );
}

/** "Send test notification" and what its one attempt gave. */
function TestButton({ channel }: { channel: ChannelView }) {
  const queryClient = useQueryClient();
  const test = useMutation({
    mutationFn: () => testChannel(channel.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: channelsQuery().queryKey }),
  });
  const r = test.data;
  return (
    <span className="block space-y-1">
      <button
        type="button"
        className={buttonClass("secondary", "sm")}
        disabled={test.isPending}
        aria-label={`Send test notification to ${channel.name}`}
        onClick={() => test.mutate()}
      >
        {test.isPending ? "Sending…" : "Send test notification"}
      </button>
      <span aria-live="polite" className="block text-xs" data-testid="test-result">
        {r &&
          (r.ok ? (
            <span className="text-emerald-800">
              Delivered{r.statusCode !== null && ` (HTTP ${r.statusCode})`} in {formatMs(r.durationMs)}.
            </span>
          ) : (
            <span className="text-red-800">
              Failed{r.statusCode !== null && ` (HTTP ${r.statusCode})`}: {r.error ?? "no answer"}.
              {r.status === "pending" && " It will be retried."}
            </span>
          ))}
        {test.isError && <span className="text-red-800">{errorText(test.error)}</span>}
      </span>
    </span>
  );
}

function ChannelRow({ channel, onEdit }: { channel: ChannelView; onEdit: () => void }) {
  const queryClient = useQueryClient();
  return (
    <tr className={`align-top ${STACKED.row}`} data-testid="channel-row" data-channel-id={channel.id}>
      <th scope="row" className={`${CELL_COMPACT} text-left font-medium max-sm:block`}>
        {channel.name}
        {!channel.enabled && <span className="ml-2 text-xs font-normal text-gray-600">(disabled)</span>}
      </th>
      <td {...stackedCell("Kind")}>{channel.kind}</td>
      <td {...stackedCell("Target", "break-all font-mono text-xs")}>{channel.targetHint}</td>
      <td {...stackedCell("Health")}>
        <span className="block max-w-xs">
          <Badge tone={HEALTH_TONE[channel.health]}>{channel.health}</Badge>
          {channel.health === "failing" && (
            <span className="mt-1 block text-xs text-red-800">
              {channel.consecutiveFailures} failed in a row
              {channel.lastError && <>: {channel.lastError}</>}
            </span>
          )}
        </span>
      </td>
      <td {...stackedCell("Last delivered", "tabular-nums")}>
        {channel.lastDeliveredAt ? formatTimestamp(channel.lastDeliveredAt) : "never"}
      </td>
      <td {...stackedCell("Actions")}>
        <span className="flex flex-col items-end gap-2 sm:items-start">
          <TestButton channel={channel} />
          <span className="flex flex-wrap gap-2">
            <button
              type="button"
              className={buttonClass("secondary", "sm")}
              aria-label={`Edit ${channel.name}`}
              onClick={onEdit}
            >
              Edit
            </button>
            <ConfirmAction
              label="Delete"
              accessibleLabel={`Delete ${channel.name}`}
              question={`Delete “${channel.name}”? Rules stop notifying it, and its delivery history goes with it.`}
              confirmLabel="Delete channel"
              onConfirm={async () => {
                await deleteChannel(channel.id);
                await queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
              }}
            />
          </span>
        </span>
      </td>
    </tr>
  );
}

/** Every channel with its health, a test button, edit and delete; and the form for a new one. */
export function ChannelsPanel() {
  const { data: channels } = useSuspenseQuery(channelsQuery());
  const [editing, setEditing] = useState<ChannelView | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const editor = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (editing) editor.current?.querySelector("input")?.focus();
  }, [editing]);

  const saved = (result: SavedChannel) => {
    setEditing(null);
    setSecret(result.signingSecret ? { name: result.channel.name, value: result.signingSecret } : null);
  };

  return (
    <div className="space-y-4">
      {channels.length === 0 ? (
        <EmptyState title="No channels yet">Add a webhook, a Slack incoming webhook or email below.</EmptyState>
      ) : (
        <TableScroll boxed label="Channels table, scrolls sideways on small screens">
          <table className={`${TABLE} ${STACKED.table}`} data-testid="channels-table">
            <caption className="sr-only">Every notification channel with its target, health and last delivery</caption>
            <thead className={`${THEAD} ${STACKED.thead}`}>
              <tr>
                {["Name", "Kind", "Target", "Health", "Last delivered"].map((c) => (
                  <th key={c} scope="col" className={`${CELL_COMPACT} font-medium`}>
                    {c}
                  </th>
                ))}
                <th scope="col" className={`${CELL_COMPACT} font-medium`}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className={`${TBODY} ${STACKED.tbody}`}>
              {channels.map((c) => (
                <ChannelRow key={c.id} channel={c} onEdit={() => setEditing(c)} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {secret && <SecretReveal name={secret.name} secret={secret.value} onDone={() => setSecret(null)} />}
      {editing && (
        <div ref={editor} className={CARD}>
          <ChannelForm key={editing.id} channel={editing} onSaved={saved} onCancel={() => setEditing(null)} />
        </div>
      )}
      <div className={CARD}>
        <ChannelForm onSaved={saved} />
      </div>
    </div>
  );
}
