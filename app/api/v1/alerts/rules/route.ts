import { apiRoute } from "@/lib/api/handler";
import { alertRuleCreate, alertRules } from "@/lib/api/contracts/alerts";
import { createRule, listRules } from "@/lib/alerts/rule-store";

export const GET = apiRoute(alertRules, {
  handler: async ({ db }) => ({ rules: await listRules(db) }),
});

export const POST = apiRoute(alertRuleCreate, {
  handler: async ({ db, body, viewer }) => ({ rule: await createRule(db, body, viewer.userId) }),
});
