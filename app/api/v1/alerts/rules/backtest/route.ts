import { apiRoute } from "@/lib/api/handler";
import { alertRuleBacktest } from "@/lib/api/contracts/alerts";
import { backtestDraft } from "@/lib/alerts/backtest";

/** The rule editor's "try it": what the unsaved rule would have done over the stored history. */
export const POST = apiRoute(alertRuleBacktest, {
  handler: ({ db, body }) => backtestDraft(db, body.rule, body.days),
});
