import type { FakeNodeError } from "./run-data";
import type { FakeWorkflowInput } from "./types";

/**
 * The workflows of the generated source: what an agency's client instance typically
 * holds, including the test and dev workflows Flowscope must filter out of the metrics.
 */
export interface WorkflowSpec extends FakeWorkflowInput {
  /** Relative share of executions; 0 for a workflow that no longer runs. */
  weight: number;
  /** The mode of its automatic runs. */
  triggerMode: "trigger" | "webhook" | "error";
  /** Share of runs started by hand from the editor (default 0.05). */
  manualRate?: number;
  /** Log-normal duration: median in ms and the sigma of its logarithm. */
  medianMs: number;
  sigma: number;
  errorRate: number;
  errors: FakeNodeError[];
  /** Share of runs that park on a Wait node for `waitHours` before finishing. */
  waitRate?: number;
  waitHours?: [number, number];
  /**
   * When its schedule trigger fires, as croner patterns (its node's parameters, read as
   * lib/alerts/schedule-trigger.ts reads them; a test holds the two together). An active
   * workflow with a schedule starts its automatic runs exactly then, in its zone
   * (settings.timezone, else the instance's); `weight` then counts only its manual runs.
   */
  schedule?: string[];
}

const SCHEDULE_TRIGGER = "n8n-nodes-base.scheduleTrigger";

const LANGCHAIN = "@n8n/n8n-nodes-langchain";

export const DEFAULT_WORKFLOWS: WorkflowSpec[] = [
  {
    id: "Vb8kQ2mXr4TzN1pL",
    name: "Invoice sync",
    tags: ["production", "finance"],
    settings: { timeSavedPerExecution: 5, timezone: "Europe/Berlin" },
    nodes: [
      {
        name: "Schedule Trigger",
        type: SCHEDULE_TRIGGER,
        typeVersion: 1.2,
        parameters: { rule: { interval: [{ field: "minutes", minutesInterval: 15 }] } },
      },
      {
        name: "Fetch invoices",
        type: "n8n-nodes-base.httpRequest",
        parameters: { url: "https://api.example.com/invoices" },
      },
      { name: "Map fields", type: "n8n-nodes-base.code" },
      { name: "Upsert in Xero", type: "n8n-nodes-base.xero" },
      { name: "Notify Slack", type: "n8n-nodes-base.slack" },
    ],
    schedule: ["0 */15 * * * *"],
    weight: 3,
    triggerMode: "trigger",
    medianMs: 4_000,
    sigma: 0.5,
    errorRate: 0.05,
    errors: [
      {
        node: "Fetch invoices",
        message: "The service is receiving too many requests from you",
        type: "NodeApiError",
        httpCode: "429",
        description: "Too Many Requests",
      },
      {
        node: "Upsert in Xero",
        message: "Validation error: ContactID is not a valid GUID",
        type: "NodeApiError",
        httpCode: "400",
      },
    ],
  },
  {
    id: "Lq3Hs9dPw2EaR7cY",
    name: "Lead enrichment (AI)",
    tags: ["ai"],
    settings: { timeSavedPerExecution: 10 },
    nodes: [
      { name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2 },
      { name: "Clearbit lookup", type: "n8n-nodes-base.httpRequest" },
      { name: "AI Agent", type: `${LANGCHAIN}.agent`, typeVersion: 1.8 },
      {
        name: "OpenAI Chat Model",
        type: `${LANGCHAIN}.lmChatOpenAi`,
        typeVersion: 1.2,
        // Newer node versions store the model as a resource locator, older ones as a string.
        parameters: { model: { __rl: true, mode: "list", value: "gpt-4o-mini", cachedResultName: "gpt-4o-mini" } },
      },
      { name: "Update HubSpot", type: "n8n-nodes-base.hubspot" },
    ],
    weight: 3,
    triggerMode: "webhook",
    medianMs: 9_000,
    sigma: 0.6,
    errorRate: 0.08,
    errors: [
      {
        node: "AI Agent",
        message: "Rate limit reached for gpt-4o-mini in organization org-xyz on tokens per min (TPM)",
        type: "NodeApiError",
        httpCode: "429",
      },
      {
        node: "Update HubSpot",
        message: "Contact already exists. Existing ID: 90152",
        type: "NodeApiError",
        httpCode: "409",
      },
    ],
  },
  {
    id: "Tk6Wn1bGz8UvM4jC",
    name: "Support triage (AI)",
    tags: ["ai", "support"],
    settings: { timeSavedPerExecution: 4 },
    nodes: [
      { name: "Zendesk Trigger", type: "n8n-nodes-base.zendeskTrigger" },
      { name: "Classify ticket", type: `${LANGCHAIN}.chainLlm`, typeVersion: 1.5 },
      {
        name: "Anthropic Chat Model",
        type: `${LANGCHAIN}.lmChatAnthropic`,
        typeVersion: 1.2,
        parameters: { model: "claude-3-5-sonnet-20241022", options: { maxTokensToSample: 1024 } },
      },
      { name: "Route by topic", type: "n8n-nodes-base.switch" },
      { name: "Update ticket", type: "n8n-nodes-base.zendesk" },
    ],
    weight: 2,
    triggerMode: "webhook",
    medianMs: 6_000,
    sigma: 0.5,
    errorRate: 0.06,
    errors: [
      { node: "Classify ticket", message: "Failed to parse the model output as JSON" },
      {
        node: "Update ticket",
        message: "The resource you are requesting could not be found",
        type: "NodeApiError",
        httpCode: "404",
        description: "Ticket 48213 not found",
      },
    ],
  },
  {
    id: "Sd2Fg5hJk7Lz9XcV",
    name: "Slack digest",
    settings: { timeSavedPerExecution: 2 },
    nodes: [
      {
        name: "Schedule Trigger",
        type: SCHEDULE_TRIGGER,
        typeVersion: 1.2,
        parameters: { rule: { interval: [{ field: "hours", triggerAtMinute: 5 }] } },
      },
      { name: "Get messages", type: "n8n-nodes-base.slack" },
      { name: "Summarise", type: `${LANGCHAIN}.chainSummarization`, typeVersion: 2 },
      { name: "OpenAI Chat Model", type: `${LANGCHAIN}.lmChatOpenAi`, typeVersion: 1, parameters: { model: "gpt-4o" } },
      { name: "Post digest", type: "n8n-nodes-base.slack" },
    ],
    // No zone of its own: the instance's (every hour at :05 reads the same in any whole-hour zone).
    schedule: ["0 5 * * * *"],
    weight: 1,
    triggerMode: "trigger",
    medianMs: 14_000,
    sigma: 0.4,
    errorRate: 0.03,
    errors: [{ node: "Get messages", message: "channel_not_found", type: "NodeApiError" }],
  },
  {
    id: "Pw4Er6tYu8Io0PaS",
    name: "Order fulfilment",
    tags: ["production"],
    settings: { timeSavedPerExecution: 3 },
    nodes: [
      { name: "Shopify Trigger", type: "n8n-nodes-base.shopifyTrigger" },
      { name: "Create shipment", type: "n8n-nodes-base.httpRequest" },
      { name: "Wait for delivery", type: "n8n-nodes-base.wait", parameters: { resume: "timeInterval", unit: "hours" } },
      { name: "Send review request", type: "n8n-nodes-base.gmail" },
    ],
    weight: 2,
    triggerMode: "webhook",
    medianMs: 1_500,
    sigma: 0.7,
    errorRate: 0.04,
    errors: [{ node: "Create shipment", message: "connect ETIMEDOUT 52.14.8.21:443", type: "NodeApiError" }],
    waitRate: 0.12,
    waitHours: [1, 8],
  },
  {
    id: "Nb7Vc3Xz1Lk5Jh9G",
    name: "Nightly DB backup",
    settings: { timeSavedPerExecution: 15, timezone: "America/New_York" },
    nodes: [
      {
        name: "Schedule Trigger",
        type: SCHEDULE_TRIGGER,
        typeVersion: 1.2,
        parameters: { rule: { interval: [{ triggerAtHour: 3, triggerAtMinute: 20 }] } },
      },
      { name: "Dump database", type: "n8n-nodes-base.ssh" },
      { name: "Upload to S3", type: "n8n-nodes-base.awsS3" },
    ],
    // 03:20 exists once every day, DST or not, and falls in no 5-minute window the others use.
    schedule: ["0 20 3 * * *"],
    weight: 0.15,
    triggerMode: "trigger",
    medianMs: 150_000,
    sigma: 0.4,
    errorRate: 0.05,
    errors: [{ node: "Dump database", message: "Timed out while waiting for handshake" }],
  },
  {
    id: "Er9Qw1As3Df5Gh7J",
    name: "Error notifier",
    nodes: [
      { name: "Error Trigger", type: "n8n-nodes-base.errorTrigger" },
      { name: "Send to Slack", type: "n8n-nodes-base.slack" },
    ],
    weight: 0.3,
    triggerMode: "error",
    manualRate: 0,
    medianMs: 700,
    sigma: 0.3,
    errorRate: 0.01,
    errors: [{ node: "Send to Slack", message: "invalid_auth", type: "NodeApiError" }],
  },
  {
    id: "Mn2Bv4Cx6Zl8Kj0H",
    name: "TEST - webhook playground",
    nodes: [
      { name: "Webhook", type: "n8n-nodes-base.webhook" },
      { name: "Edit Fields", type: "n8n-nodes-base.set" },
      { name: "Respond to Webhook", type: "n8n-nodes-base.respondToWebhook" },
    ],
    weight: 0.7,
    triggerMode: "webhook",
    manualRate: 0.5,
    medianMs: 300,
    sigma: 0.8,
    errorRate: 0.15,
    errors: [{ node: "Edit Fields", message: "Cannot read properties of undefined (reading 'email')" }],
  },
  {
    id: "Dv5Mg7Hn9Jq1Wr3T",
    name: "[dev] CRM migration",
    active: false,
    tags: ["staging"],
    nodes: [
      { name: "When clicking ‘Execute workflow’", type: "n8n-nodes-base.manualTrigger" },
      { name: "Read old CRM", type: "n8n-nodes-base.postgres" },
      { name: "Loop Over Items", type: "n8n-nodes-base.splitInBatches" },
      { name: "Write to HubSpot", type: "n8n-nodes-base.hubspot" },
    ],
    weight: 0.3,
    triggerMode: "trigger",
    manualRate: 0.9,
    medianMs: 90_000,
    sigma: 0.8,
    errorRate: 0.12,
    errors: [
      {
        node: "Write to HubSpot",
        message: 'Property "lifecyclestage" does not exist',
        type: "NodeApiError",
        httpCode: "400",
      },
    ],
  },
  {
    id: "Ar0Ch1Iv2Ed3Wf4L",
    name: "Old newsletter",
    active: false,
    isArchived: true,
    nodes: [
      // The legacy Cron node: Mondays at 07:00. Archived and inactive, so it never fires.
      {
        name: "Cron",
        type: "n8n-nodes-base.cron",
        parameters: { triggerTimes: { item: [{ mode: "everyWeek", hour: 7 }] } },
      },
      { name: "Send emails", type: "n8n-nodes-base.mailchimp" },
    ],
    schedule: ["0 0 7 * * 1"],
    weight: 0,
    triggerMode: "trigger",
    medianMs: 5_000,
    sigma: 0.3,
    errorRate: 0,
    errors: [],
  },
];
