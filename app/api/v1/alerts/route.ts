import { apiRoute } from "@/lib/api/handler";
import { alertList } from "@/lib/api/contracts/alerts";
import { listAlerts } from "@/lib/alerts/queries";

/** Alerts the caller may see (a client user: their own client's), firing first. */
export const GET = apiRoute(alertList, {
  handler: async ({ db, query, viewer }) => ({ alerts: await listAlerts(db, query, viewer.clientId) }),
  csv: (r) =>
    r.alerts.map((a) => ({
      id: a.id,
      state: a.state,
      severity: a.severity,
      rule: a.ruleName,
      kind: a.kind,
      client: a.clientName,
      workflow: a.workflowName ?? "",
      value: a.value,
      threshold: a.threshold,
      summary: a.summary,
      startedAt: a.startedAt,
      firedAt: a.firedAt,
      endedAt: a.endedAt,
      acknowledgedBy: a.acknowledgedBy ?? "",
    })),
  name: "alerts",
});
