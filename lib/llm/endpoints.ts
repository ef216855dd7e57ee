import type { EndpointDoc } from "@/lib/api/endpoint-doc";

/** LLM usage: the metrics endpoint, ingest, and price overrides. */
export const LLM_ENDPOINTS: EndpointDoc[] = [];
