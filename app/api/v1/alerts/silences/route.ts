import { apiRoute } from "@/lib/api/handler";
import { alertSilenceCreate, alertSilences } from "@/lib/api/contracts/alerts";
import { createSilence, listSilences } from "@/lib/alerts/silences";

export const GET = apiRoute(alertSilences, {
  handler: async ({ db }) => ({ silences: await listSilences(db) }),
});

export const POST = apiRoute(alertSilenceCreate, {
  handler: async ({ db, body, viewer }) => ({ silence: await createSilence(db, body, viewer.email ?? viewer.name) }),
});
