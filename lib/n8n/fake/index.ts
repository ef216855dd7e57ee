export { DEFAULT_WORKFLOWS, type WorkflowSpec } from "./catalog";
export { ControlError } from "./control-error";
export { CONTROL_PREFIX } from "./control-routes";
export { Faults, type FaultKind, type FaultScope } from "./faults";
export { createDemoSource, GeneratedSource, type GeneratedSourceOptions } from "./generator";
export { buildRunData, type RunDataOptions } from "./run-data";
export { encodeCursor } from "./routes";
export { startFakeN8n, type FakeN8n, type FakeN8nOptions, type FakeRequest } from "./server";
export { InMemorySource } from "./sources";
export type {
  FakeControls,
  FakeControlState,
  FakeExecutionInput,
  FakeExecutionJson,
  FakeNode,
  FakeSource,
  FakeWorkflowInput,
  InjectExecutionsInput,
  ListQuery,
} from "./types";
export { workflowJson } from "./workflow-json";
