import type { EndpointDoc } from "@/lib/api/endpoint-doc";

/** Users and API tokens (admins). */
export const ACCOUNT_ENDPOINTS: EndpointDoc[] = [];
