import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractLlmUsage, isAiWorkflow, type LlmCall } from "@/lib/ingest/llm/extract";
import { providerOfNodeType } from "@/lib/ingest/llm/node-types";
import { N8nExecution, N8nWorkflow } from "@/lib/n8n/schemas";

/** A fixture as the n8n client would hand it over: both parsed by the client's own schemas. */
function fixture(name: string) {
  const raw = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures/n8n-ai", `${name}.json`), "utf8"));
  return { execution: N8nExecution.parse(raw.execution), workflow: N8nWorkflow.parse(raw.workflow) };
}

function extract(name: string) {
  const { execution, workflow } = fixture(name);
  return extractLlmUsage(execution, workflow);
}

const call = (c: Omit<LlmCall, "occurredAt"> & { occurredAt: string }): LlmCall => ({
  ...c,
  occurredAt: new Date(c.occurredAt),
});

describe("extractLlmUsage", () => {
  it("reads an OpenAI chat model's tokenUsage, with the model from its parameters", () => {
    expect(extract("openai-chain")).toEqual({
      calls: [
        call({
          nodeName: "OpenAI Chat Model",
          provider: "openai",
          model: "gpt-4o-mini",
          promptTokens: 1234,
          completionTokens: 256,
          totalTokens: 1490,
          isEstimate: false,
          occurredAt: "2025-06-10T08:43:20.031Z",
          idempotencyKey: "n8n:1842:OpenAI Chat Model:0:ai_languageModel:0:0",
        }),
      ],
      warnings: [],
    });
  });

  it("takes the model from a resource locator and adds up a missing total", () => {
    expect(extract("anthropic-rl")).toEqual({
      calls: [
        call({
          nodeName: "Anthropic Chat Model",
          provider: "anthropic",
          model: "claude-3-5-sonnet-20241022",
          promptTokens: 431,
          completionTokens: 58,
          totalTokens: 489,
          isEstimate: false,
          occurredAt: "2025-06-11T14:05:00.611Z",
          idempotencyKey: "n8n:2210:Anthropic Chat Model:0:ai_languageModel:0:0",
        }),
      ],
      warnings: [],
    });
  });

  it("marks tokenUsageEstimate as an estimate and reads `modelName`", () => {
    expect(extract("estimate")).toEqual({
      calls: [
        call({
          nodeName: "Google Gemini Chat Model",
          provider: "google",
          model: "models/gemini-1.5-flash",
          promptTokens: 2048,
          completionTokens: 9,
          totalTokens: 2057,
          isEstimate: true,
          occurredAt: "2025-06-12T09:30:00.020Z",
          idempotencyKey: "n8n:3007:Google Gemini Chat Model:0:ai_languageModel:0:0",
        }),
      ],
      warnings: [],
    });
  });

  it("gives each run of an agent's looping model its own row, time and key", () => {
    const base = { nodeName: "OpenAI Chat Model", provider: "openai", model: "gpt-4o", isEstimate: false };
    expect(extract("agent-loop")).toEqual({
      calls: [
        call({
          ...base,
          promptTokens: 512,
          completionTokens: 21,
          totalTokens: 533,
          occurredAt: "2025-06-13T21:00:10.300Z",
          idempotencyKey: "n8n:4521:OpenAI Chat Model:0:ai_languageModel:0:0",
        }),
        call({
          ...base,
          promptTokens: 566,
          completionTokens: 18,
          totalTokens: 584,
          occurredAt: "2025-06-13T21:00:12.450Z",
          idempotencyKey: "n8n:4521:OpenAI Chat Model:1:ai_languageModel:0:0",
        }),
        call({
          ...base,
          promptTokens: 601,
          completionTokens: 37,
          totalTokens: 638,
          occurredAt: "2025-06-13T21:00:14.400Z",
          idempotencyKey: "n8n:4521:OpenAI Chat Model:2:ai_languageModel:0:0",
        }),
      ],
      warnings: [],
    });
  });

  it("finds nothing, and warns about nothing, in a workflow without AI nodes", () => {
    expect(extract("non-ai")).toEqual({ calls: [], warnings: [] });
  });

  it("keeps the good rows of malformed run data and counts one warning per bad run or item", () => {
    const { calls, warnings } = extract("malformed");
    expect(calls).toEqual([
      call({
        nodeName: "OpenAI Chat Model",
        provider: "openai",
        model: "gpt-4o-mini",
        promptTokens: 100,
        completionTokens: 20,
        totalTokens: 120,
        isEstimate: false,
        occurredAt: "2025-06-15T12:00:00.100Z",
        idempotencyKey: "n8n:6001:OpenAI Chat Model:0:ai_languageModel:0:0",
      }),
      // No start time on the run: the execution's start stands in.
      call({
        nodeName: "OpenAI Chat Model",
        provider: "openai",
        model: "gpt-4o-mini",
        promptTokens: 300,
        completionTokens: 45,
        totalTokens: 345,
        isEstimate: false,
        occurredAt: "2025-06-15T12:00:00.000Z",
        idempotencyKey: "n8n:6001:OpenAI Chat Model:11:ai_languageModel:0:0",
      }),
      // The model parameter is an expression; the run's input names the model it called.
      call({
        nodeName: "Mistral Cloud Chat Model",
        provider: "mistral",
        model: "mistral-small-latest",
        promptTokens: 77,
        completionTokens: 5,
        totalTokens: 82,
        isEstimate: false,
        occurredAt: "2025-06-15T12:00:02.000Z",
        idempotencyKey: "n8n:6001:Mistral Cloud Chat Model:0:ai_languageModel:0:0",
      }),
      // Renamed since the execution: no node type, so no provider; the response names the model.
      call({
        nodeName: "Old Chat Model",
        provider: null,
        model: "gpt-3.5-turbo-0125",
        promptTokens: 15,
        completionTokens: 2,
        totalTokens: 17,
        isEstimate: false,
        occurredAt: "2025-06-15T12:00:03.000Z",
        idempotencyKey: "n8n:6001:Old Chat Model:0:ai_languageModel:0:0",
      }),
      // Not a chat model, but its output carries usage on `main`.
      call({
        nodeName: "Code",
        provider: null,
        model: "unknown",
        promptTokens: 5,
        completionTokens: 7,
        totalTokens: 12,
        isEstimate: false,
        occurredAt: "2025-06-15T12:00:04.000Z",
        idempotencyKey: "n8n:6001:Code:0:main:0:2",
      }),
    ]);
    expect(warnings).toHaveLength(10);
    expect(warnings.every((w) => w.startsWith("execution 6001: "))).toBe(true);
    const openAi = warnings.filter((w) => w.startsWith("execution 6001: OpenAI Chat Model"));
    // Runs 0 and 11 are good, run 5 is a failed call (no usage expected).
    expect(openAi.map((w) => Number(/OpenAI Chat Model run (\d+)/.exec(w)?.[1]))).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);
    expect(openAi[0]).toMatch(/tokenUsage\.promptTokens/);
    expect(openAi[1]).toMatch(/tokenUsage\.completionTokens/);
    expect(openAi[3]).toMatch(/no token usage/);
    expect(openAi[8]).toMatch(/tokenUsage\.totalTokens/);
    expect(warnings).toContain("execution 6001: Anthropic Chat Model: runs are not a list");
  });

  it("falls back to the execution start, and warns when there is none", () => {
    const { calls, warnings } = extract("partial");
    expect(calls).toEqual([
      call({
        nodeName: "Ollama Chat Model",
        provider: "ollama",
        model: "llama3.2:3b",
        promptTokens: 180,
        completionTokens: 2,
        totalTokens: 182,
        isEstimate: true,
        occurredAt: "2025-06-15T12:00:05.000Z",
        idempotencyKey: "n8n:7002:Ollama Chat Model:0:ai_languageModel:0:0",
      }),
    ]);
    expect(warnings).toEqual([
      "execution 7002: Ollama Chat Model run 1 ai_languageModel[0][0]: neither the run nor the execution has a start time",
    ]);
  });

  it("warns once for an AI execution fetched without run data, and never throws on junk", () => {
    const { execution, workflow } = fixture("openai-chain");
    expect(extractLlmUsage({ ...execution, data: undefined }, workflow)).toEqual({
      calls: [],
      warnings: ["execution 1842: no run data (fetched without includeData?)"],
    });
    expect(extractLlmUsage({ ...execution, data: undefined }, fixture("non-ai").workflow)).toEqual({
      calls: [],
      warnings: [],
    });
    for (const data of [null, 42, "text", [], { resultData: null }, { resultData: { runData: [] } }]) {
      const result = extractLlmUsage({ ...execution, data }, workflow);
      expect(result.calls).toEqual([]);
      expect(result.warnings).toHaveLength(1);
    }
    const junkRuns = { resultData: { runData: { "OpenAI Chat Model": [1, "x", [], { data: null }, { data: [] }] } } };
    expect(extractLlmUsage({ ...execution, data: junkRuns }, workflow).warnings).toHaveLength(5);
  });

  it("is deterministic: extracting again yields the same keys, all distinct", () => {
    for (const name of ["openai-chain", "anthropic-rl", "estimate", "agent-loop", "malformed", "partial"]) {
      const first = extract(name).calls.map((c) => c.idempotencyKey);
      const second = extract(name).calls.map((c) => c.idempotencyKey);
      expect(second).toEqual(first);
      expect(new Set(first).size).toBe(first.length);
    }
  });

  it("uses the run's recorded model when the node sets none", () => {
    const { execution, workflow } = fixture("openai-chain");
    const unset = { nodes: workflow.nodes.map((n) => ({ ...n, parameters: {} })) };
    // Options given to the model (inputOverride) come before the response's dated name.
    expect(extractLlmUsage(execution, unset).calls[0].model).toBe("gpt-4o-mini");
  });
});

describe("isAiWorkflow", () => {
  it("is true only when a chat-model node is present", () => {
    expect(isAiWorkflow(fixture("agent-loop").workflow.nodes.map((n) => n.type))).toBe(true);
    expect(isAiWorkflow(fixture("non-ai").workflow.nodes.map((n) => n.type))).toBe(false);
    expect(isAiWorkflow(["@n8n/n8n-nodes-langchain.agent", "@n8n/n8n-nodes-langchain.toolCalculator"])).toBe(false);
    expect(isAiWorkflow([])).toBe(false);
  });
});

describe("providerOfNodeType", () => {
  it.each([
    ["lmChatOpenAi", "openai"],
    ["lmChatAnthropic", "anthropic"],
    ["lmChatGoogleGemini", "google"],
    ["lmChatMistralCloud", "mistral"],
    ["lmChatGroq", "groq"],
    ["lmChatOllama", "ollama"],
    ["lmChatAzureOpenAi", "azure"],
    ["lmChatAwsBedrock", "bedrock"],
    ["lmChatDeepSeek", "deepseek"],
    ["lmChatOpenRouter", "openrouter"],
    ["lmChatSomethingNew", null],
    ["lmChatconstructor", null],
  ])("%s → %s", (suffix, provider) => {
    expect(providerOfNodeType(`@n8n/n8n-nodes-langchain.${suffix}`)).toBe(provider);
  });

  it("is null for nodes that are not chat models", () => {
    expect(providerOfNodeType("n8n-nodes-base.openAi")).toBeNull();
    expect(providerOfNodeType(undefined)).toBeNull();
  });
});
