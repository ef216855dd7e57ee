import { apiRoute } from "@/lib/api/handler";
import { adminClientRulesPreview } from "@/lib/api/contracts/admin";
import { previewRules } from "@/lib/ingest/classify/preview";

/** What the rules would exclude among the stored history; nothing is saved. */
export const POST = apiRoute(adminClientRulesPreview, {
  handler: ({ db, params, body }) => previewRules(db, params.id, body.rules),
});
