import { apiRoute, parseId } from "@/lib/api/handler";
import { previewRules } from "@/lib/ingest/classify/preview";
import { RulesBody } from "@/lib/api/contracts/admin-schemas";

/** What the rules would exclude among the stored history; nothing is saved. */
export const POST = apiRoute({
  access: "admin",
  body: RulesBody,
  handler: ({ db, params, body }) => previewRules(db, parseId(params.id), body.rules),
});
