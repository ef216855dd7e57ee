/**
 * What an n8n node type tells us about LLM calls. Chat-model nodes are the LangChain
 * sub-nodes whose runs n8n's LLM tracing annotates with token usage.
 */
export const CHAT_MODEL_TYPE_PREFIX = "@n8n/n8n-nodes-langchain.lmChat";

export function isChatModelType(type: string | null | undefined): boolean {
  return typeof type === "string" && type.startsWith(CHAT_MODEL_TYPE_PREFIX);
}

/** Whether a workflow's executions are worth fetching with their (large) run data. */
export function isAiWorkflow(nodeTypes: readonly string[]): boolean {
  return nodeTypes.some(isChatModelType);
}

/**
 * Provider names as stored in llm_usage. They are also the hints handed to the price
 * catalog, which knows most of them by these names ("bedrock" resolves to its "aws").
 */
const PROVIDER_BY_SUFFIX: ReadonlyMap<string, string> = new Map([
  ["OpenAi", "openai"],
  ["Anthropic", "anthropic"],
  ["GoogleGemini", "google"],
  ["GoogleVertex", "google"],
  ["MistralCloud", "mistral"],
  ["Groq", "groq"],
  ["Ollama", "ollama"],
  ["AzureOpenAi", "azure"],
  ["AwsBedrock", "bedrock"],
  ["DeepSeek", "deepseek"],
  ["OpenRouter", "openrouter"],
  ["XAiGrok", "xai"],
]);

export function providerOfNodeType(type: string | null | undefined): string | null {
  if (!type || !isChatModelType(type)) return null;
  return PROVIDER_BY_SUFFIX.get(type.slice(CHAT_MODEL_TYPE_PREFIX.length)) ?? null;
}
