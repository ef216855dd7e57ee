import { serve } from "inngest/next";
import { functions, inngest } from "@/inngest";
import { inngestEndpointRefusal } from "@/inngest/endpoint";

const sdk = serve({ client: inngest, functions });

type Handler = (request: Request, context: unknown) => Promise<Response>;
const guarded =
  (handler: Handler): Handler =>
  (request, context) =>
    Promise.resolve(inngestEndpointRefusal() ?? handler(request, context));

export const GET = guarded(sdk.GET as Handler);
export const POST = guarded(sdk.POST as Handler);
export const PUT = guarded(sdk.PUT as Handler);
