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
  disabled?: boolean;
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
  /** Switches for tests and the demo, on sources that make executions as time passes. */
  controls?: FakeControls;
}

/**
 * What a test or the demo can make the fake's n8n do, from the source's clock on (never
 * before: what n8n has shown stays as it was). Also served over HTTP by the fake server
 * (lib/n8n/fake/control-routes.ts), outside n8n's API.
 */
export interface FakeControls {
  /** From `at` (default now) every run of the workflow that starts fails; on=false ends it. */
  failWorkflow(workflowId: string, on?: boolean, at?: Date): void;
  /** From `at` (default now) the workflow starts no runs at all (its schedule stops); on=false resumes it. */
  stopWorkflow(workflowId: string, on?: boolean, at?: Date): void;
  /** Adds executions now (stuck running ones, waiting ones, failures); returns them as served. */
  injectExecutions(input: InjectExecutionsInput): FakeExecutionJson[];
  /** Ends an injected running or waiting execution (default success, at now). */
  finishExecution(
    id: number | string,
    status?: "success" | "error" | "crashed" | "canceled",
    at?: Date,
  ): FakeExecutionJson;
  state(): FakeControlState;
}

export interface InjectExecutionsInput {
  workflowId: string;
  status: ExecutionStatus;
  /** Default 1; they start 1 s apart, the last one newest. */
  count?: number;
  /** Default the workflow's automatic mode ("trigger" for a schedule). */
  mode?: string;
  /** Of the newest one. Default: now, or now less the duration for a finished one. */
  startedAt?: Date | string;
  /** Default the workflow's median duration; a waiting one's stoppedAt is its start plus this. */
  durationMs?: number;
  /** Of a waiting one; default an hour from now. */
  waitTill?: Date | string;
}

export interface FakeControlState {
  now: string;
  spans: Array<{ workflowId: string; kind: "fail" | "stop"; from: string; to: string | null }>;
  injected: FakeExecutionJson[];
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
