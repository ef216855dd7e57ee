import { apiRoute, parseId } from "@/lib/api/handler";
import { RulesBody } from "@/lib/api/contracts/admin-schemas";
import { saveRules } from "@/lib/jobs/save-rules";

/** Saves the rules, then re-classifies the stored history in the background: 202 with the run to poll. */
export const PUT = apiRoute({
  access: "admin",
  body: RulesBody,
  status: 202,
  handler: ({ db, params, body }) => saveRules(db, parseId(params.id), body.rules),
});
