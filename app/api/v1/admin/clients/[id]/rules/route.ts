import { apiRoute } from "@/lib/api/handler";
import { adminClientRulesSave } from "@/lib/api/contracts/admin";
import { saveRules } from "@/lib/jobs/save-rules";

/** Saves the rules, then re-classifies the stored history in the background: 202 with the run to poll. */
export const PUT = apiRoute(adminClientRulesSave, {
  handler: ({ db, params, body }) => saveRules(db, params.id, body.rules),
});
