import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { CELL_COMPACT, STACKED, TABLE, TBODY, THEAD, TableScroll, stackedCell } from "@/components/ui/table";
import { formatDateTime, formatMs } from "@/components/format/format";
import type { AlertEventKind } from "@/lib/core/vocabulary";
import { formatFigure } from "./alert-format";
import type { AlertEvent, DeliveryView } from "./alerts-api";

const EVENT_TONE: Record<AlertEventKind, Tone> = {
  pending: "amber",
  firing: "red",
  reminder: "red",
  resolved: "green",
  ok: "gray",
  acknowledged: "blue",
  silenced: "gray",
};

/** Everything that happened to the alert, oldest first. */
export function AlertEvents({ events, kind, timeZone }: { events: AlertEvent[]; kind: string; timeZone: string }) {
  if (events.length === 0) return <EmptyState title="No events yet" />;
  return (
    <TableScroll boxed label="Alert history, scrolls sideways on small screens">
      <table className={`${TABLE} ${STACKED.table}`} data-testid="alert-events">
        <caption className="sr-only">The alert&apos;s history, oldest first</caption>
        <thead className={`${THEAD} ${STACKED.thead}`}>
          <tr>
            {["Time", "Event", "Value", "Message"].map((c) => (
              <th key={c} scope="col" className={`${CELL_COMPACT} font-medium`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`${TBODY} ${STACKED.tbody}`}>
          {events.map((e) => (
            <tr key={e.id} className={`align-top ${STACKED.row}`}>
              <td {...stackedCell("Time", "tabular-nums sm:whitespace-nowrap")}>
                <time dateTime={e.at}>{formatDateTime(e.at, timeZone)}</time>
              </td>
              <td {...stackedCell("Event")}>
                <Badge tone={EVENT_TONE[e.kind] ?? "gray"}>{e.kind}</Badge>
              </td>
              <td {...stackedCell("Value", "tabular-nums")}>
                {e.value === null ? "—" : formatFigure(kind, e.value, null).value}
              </td>
              <td {...stackedCell("Message")}>{e.message ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

const STATUS_TONE: Record<DeliveryView["status"], Tone> = { delivered: "green", pending: "amber", failed: "red" };

/** Where the alert's notifications went, each with every attempt (operators only). */
export function AlertDeliveries({ deliveries, timeZone }: { deliveries: DeliveryView[]; timeZone: string }) {
  if (deliveries.length === 0)
    return (
      <EmptyState title="No notifications sent">
        Its rule notifies no channel, or the notifications were held back by a silence.
      </EmptyState>
    );
  return (
    <ol className="space-y-3" data-testid="alert-deliveries">
      {deliveries.map((d) => (
        <li key={d.id} className="rounded-lg border border-gray-200 bg-white p-3 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{d.channelName}</span>
            <Badge tone="gray">{d.kind}</Badge>
            <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
            <span className="text-xs text-gray-600">
              queued <time dateTime={d.createdAt}>{formatDateTime(d.createdAt, timeZone)}</time>
              {d.deliveredAt && (
                <>
                  {" · "}delivered <time dateTime={d.deliveredAt}>{formatDateTime(d.deliveredAt, timeZone)}</time>
                </>
              )}
              {d.nextAttemptAt && (
                <>
                  {" · "}next try <time dateTime={d.nextAttemptAt}>{formatDateTime(d.nextAttemptAt, timeZone)}</time>
                </>
              )}
            </span>
          </p>
          {d.title && <p className="mt-1 text-gray-700">{d.title}</p>}
          {d.attemptLog.length > 0 && (
            <ul className="mt-2 space-y-1 border-l-2 border-gray-200 pl-3" aria-label={`Attempts to ${d.channelName}`}>
              {d.attemptLog.map((a, i) => (
                <li key={i} className="text-xs text-gray-700">
                  <time dateTime={a.at}>{formatDateTime(a.at, timeZone)}</time>
                  {": "}
                  <span className={a.ok ? "text-emerald-800" : "text-red-800"}>{a.ok ? "delivered" : "failed"}</span>
                  {a.statusCode !== null && <> · HTTP {a.statusCode}</>} · {formatMs(a.durationMs)}
                  {a.error && <span className="block break-words text-red-800">{a.error}</span>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
