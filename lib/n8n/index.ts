export {
  MAX_PAGE_SIZE,
  N8nClient,
  normaliseBaseUrl,
  type ExecutionPageOptions,
  type ExecutionPageResult,
  type N8nClientOptions,
  type N8nRequestInfo,
} from "./api-client";
export {
  BlockedAddressError,
  refusedClass,
  resolveAllowed,
  type AddressClass,
  type HostResolver,
} from "./address-guard";
export { N8N_ERROR_KINDS, N8nError, type N8nErrorKind } from "./errors";
export { N8nExecution, N8nExecutionPage, N8nNode, N8nTag, N8nWorkflow, N8nWorkflowPage } from "./schemas";
export { RequestTally } from "./request-tally";
