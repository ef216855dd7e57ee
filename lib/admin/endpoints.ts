import type { EndpointDoc } from "@/lib/api/endpoint-doc";

/** Admin console and task routes (clients, rules, syncs, scheduler). */
export const ADMIN_ENDPOINTS: EndpointDoc[] = [];
