import type { Db } from "@/lib/db/database";
import { updateClientRules } from "@/lib/clients/mutations";
import { dispatchReclassify, jobSender } from "@/lib/jobs/dispatch";
import type { FilterRules } from "@/lib/clients/rules";

/**
 * Saves a client's rules, then re-classifies its stored history in the background (the
 * rollups follow). Answers the queued run, which the page polls until it is done.
 */
export async function saveRules(
  db: Db,
  clientId: number,
  rules: unknown,
): Promise<{ runId: number; rules: FilterRules }> {
  jobSender(); // refuses before the rules change when their re-classification could not start
  const saved = await updateClientRules(db, clientId, rules);
  const { runId } = await dispatchReclassify(db, clientId);
  return { runId, rules: saved };
}
