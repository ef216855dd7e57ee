/**
 * Request schemas of the admin and task contracts (./admin.ts): apiRoute parses with them
 * and the OpenAPI document shows them. Not a contracts file, so not in the registry.
 * Messages read after "<field>: ".
 */
import { z } from "zod";
import { ClientInput, ClientPatch } from "@/lib/clients/mutations";
import { FilterRules } from "@/lib/clients/rules";
import { idParam, intParam } from "@/lib/metrics/params";

export const ClientPathParams = z.object({ id: idParam("The client's id.") });
export const RunPathParams = z.object({ runId: idParam("The run's id (from a 202 answer).") });

export const CreateClientBody = ClientInput;
/**
 * The patch plus the time zone, which lib/clients' plain update does not set: the route
 * saves the other fields, then changes the zone through applyClientTimeZone (a rebuild of
 * the day, week and month buckets). Parsed before either, so a bad zone writes nothing.
 */
export const UpdateClientBody = ClientPatch.extend({ timeZone: ClientInput.shape.timeZone });

/** Test a URL and key before creating a client with them. */
export const TestConnectionBody = ClientInput.pick({ n8nBaseUrl: true, n8nApiKey: true }).strict();

export const RulesBody = z.object({ rules: FilterRules }).strict();

export const SyncRunsParams = z.object({
  limit: intParam({ min: 1, max: 100, default: 20, description: "Number of runs, newest first." }),
});
