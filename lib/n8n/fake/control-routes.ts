import { z } from "zod";
import { EXECUTION_STATUSES } from "@/lib/core/vocabulary";
import { ControlError } from "./control-error";
import { json, type Reply } from "./routes";
import type { FakeControls } from "./types";

/**
 * The fake's own routes under /__fake/, for the demo and Playwright: they drive the
 * source's controls (FakeControls) over HTTP. They are no part of n8n's API (CONTRACT.md
 * has no such path), skip the fault injection and are not logged in `requests`. Same key
 * header as the API (X-N8N-API-KEY; the demo's is "demo-api-key"). The demo's fake
 * servers listen on 127.0.0.1 at a port chosen at each start: a test reads the address
 * from the demo client's n8nBaseUrl (GET /api/v1/admin/clients, signed in as the admin).
 *
 *   POST /__fake/workflows/{id}/fail        {"on": true}  every run that starts from now fails; false ends it
 *   POST /__fake/workflows/{id}/stop        {"on": true}  the workflow starts no runs from now (its schedule stops)
 *   POST /__fake/workflows/{id}/executions  {"status": "running", "startedAt": "…", "count": 1, "waitTill": "…"}
 *                                           adds executions now: a stuck running one, a waiting one, failures
 *   POST /__fake/executions/{id}/finish     {"status": "success"}  ends an injected running or waiting one
 *   GET  /__fake/state                      the switches and the injected executions
 *
 * Answers JSON: 200 with the state or the executions, 400 for a refused control, 404 for
 * an unknown workflow, execution or route, 501 when the source makes no executions itself.
 */
export const CONTROL_PREFIX = "/__fake/";

const Switch = z.object({ on: z.boolean().default(true), at: z.iso.datetime({ offset: true }).optional() }).strict();
const Inject = z
  .object({
    status: z.enum(EXECUTION_STATUSES),
    count: z.number().int().min(1).max(1_000).optional(),
    mode: z.string().min(1).optional(),
    startedAt: z.iso.datetime({ offset: true }).optional(),
    durationMs: z.number().int().min(0).optional(),
    waitTill: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
const Finish = z
  .object({
    status: z.enum(["success", "error", "crashed", "canceled"]).default("success"),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export interface ControlRequest {
  method: string;
  path: string;
  apiKey: string | undefined;
  body: string;
}

export function handleControl(req: ControlRequest, ctx: { apiKey: string; controls: FakeControls | null }): Reply {
  if (req.apiKey !== ctx.apiKey) return json(401, { message: "'X-N8N-API-KEY' header required" });
  const { controls } = ctx;
  if (!controls) return json(501, { message: "this fake n8n's source makes no executions of its own: no controls" });
  const route = req.path.slice(CONTROL_PREFIX.length).replace(/\/+$/, "");
  const workflow = /^workflows\/([^/]+)\/(fail|stop|executions)$/.exec(route);
  const finish = /^executions\/(\d+)\/finish$/.exec(route);
  try {
    if (route === "state" && req.method === "GET") return json(200, controls.state());
    if (req.method !== "POST" || (!workflow && !finish)) return json(404, { message: "not found" });
    const body = parseBody(req.body);
    if (finish) {
      const f = Finish.parse(body);
      return json(200, controls.finishExecution(finish[1], f.status, f.at ? new Date(f.at) : undefined));
    }
    const [, id, action] = workflow as RegExpExecArray;
    const workflowId = decodeURIComponent(id);
    if (action === "executions")
      return json(200, { data: controls.injectExecutions({ workflowId, ...Inject.parse(body) }) });
    const s = Switch.parse(body);
    const at = s.at ? new Date(s.at) : undefined;
    if (action === "fail") controls.failWorkflow(workflowId, s.on, at);
    else controls.stopWorkflow(workflowId, s.on, at);
    return json(200, controls.state());
  } catch (err) {
    if (err instanceof ControlError) return json(err.status, { message: err.message });
    if (err instanceof z.ZodError) return json(400, { message: z.prettifyError(err) });
    throw err;
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ControlError("the body is not JSON");
  }
}
