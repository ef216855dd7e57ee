import { apiRoute } from "@/lib/api/handler";
import { adminClientRulesPreview } from "@/lib/api/contracts/admin";
import { previewRulesExplained } from "@/lib/jobs/preview-rules";

/** What the rules would exclude among the stored history, and why for each workflow; nothing is saved. */
export const POST = apiRoute(adminClientRulesPreview, {
  handler: ({ db, params, body }) => previewRulesExplained(db, params.id, body.rules),
});
