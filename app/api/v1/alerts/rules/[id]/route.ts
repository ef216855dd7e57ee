import { apiRoute } from "@/lib/api/handler";
import { alertRuleDelete, alertRuleEnable, alertRuleGet, alertRuleUpdate } from "@/lib/api/contracts/alerts";
import { deleteRule, getRule, setRuleEnabled, updateRule } from "@/lib/alerts/rule-store";

export const GET = apiRoute(alertRuleGet, {
  handler: async ({ db, params }) => ({ rule: await getRule(db, params.id) }),
});

export const PUT = apiRoute(alertRuleUpdate, {
  handler: async ({ db, params, body }) => ({ rule: await updateRule(db, params.id, body) }),
});

export const PATCH = apiRoute(alertRuleEnable, {
  handler: async ({ db, params, body }) => ({ rule: await setRuleEnabled(db, params.id, body.enabled) }),
});

export const DELETE = apiRoute(alertRuleDelete, {
  handler: async ({ db, params }) => {
    await deleteRule(db, params.id);
    return { deleted: true };
  },
});
