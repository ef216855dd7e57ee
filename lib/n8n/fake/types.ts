import type { ExecutionStatus } from "@/lib/core/vocabulary";

/**
 * Where the fake n8n's data comes from: given (InMemorySource, for tests that need
 * exact executions) or generated (GeneratedSource, for the demo and the benchmark).
 * Sources answer in n8n's JSON shape; the server only adds paging and faults.
 */
export interface FakeNode {
  name: string;
  type: string;
  parameters?: Record<string, unknown>;
  typeVersion?: number;
}

export interface FakeWorkflowInput {
  id: string;
  name: string;
  active?: boolean;
  isArchived?: boolean;
  createdAt?: Date | string;
  updatedAt?: Date | string;
  /** Tag names, or n8n's `{id, name}`. */
  tags?: Array<string | { id: string; name: string }>;
  nodes?: FakeNode[];
  settings?: { timeSavedPerExecution?: number; timezone?: string };
}

/** An execution as n8n's API returns it. */
export interface FakeExecutionJson {
  id: string;
  finished: boolean;
  mode: string;
  retryOf: string | null;
  retrySuccessId: string | null;
  status: ExecutionStatus;
  startedAt: string | null;
  stoppedAt: string | null;
  workflowId: string;
  waitTill: string | null;
  customData?: Record<string, string>;
  /** Newer n8n versions add these; the client must ignore them. */
  storedAt?: string;
  jsonSizeBytes?: number;
  data?: unknown;
}

export interface ListQuery {
  /** Only executions with a lower id (the cursor's lastId); null for the newest. */
  beforeId: number | null;
  limit: number;
  workflowId?: string;
  status?: ExecutionStatus;
  includeData: boolean;
  now: Date;
}

export interface FakeSource {
  /** The source's clock, used by the server unless it is given its own. */
  now?(): Date;
  workflows(now: Date): unknown[];
  /** Up to `limit` listable executions, newest first. Running ones are never listed. */
  listExecutions(query: ListQuery): FakeExecutionJson[];
  /** Any execution that exists, running ones included; null when unknown or pruned. */
  getExecution(id: number, options: { includeData: boolean; now: Date }): FakeExecutionJson | null;
}

export interface FakeExecutionInput {
  id: number | string;
  workflowId: string;
  status: ExecutionStatus;
  /** Default "trigger". */
  mode?: string;
  startedAt: Date | string | null;
  stoppedAt?: Date | string | null;
  /** Default: true only for success, as n8n does. */
  finished?: boolean;
  retryOf?: number | string | null;
  retrySuccessId?: number | string | null;
  waitTill?: Date | string | null;
  customData?: Record<string, string>;
  /** Served with includeData=true; default: run data built from the workflow's nodes. */
  data?: unknown;
}
