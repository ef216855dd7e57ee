import { at, isRecord, type JsonRecord } from "@/lib/core/json";

/**
 * A usable model name, or null. Strings starting with "=" are n8n expressions
 * (`={{ $json.model }}`): unresolved in the workflow definition, so they name nothing.
 */
function literal(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const name = value.trim();
  return name && !name.startsWith("=") ? name : null;
}

/** A parameter that is either a plain string or a resource locator `{__rl, value}`. */
function parameterValue(value: unknown): string | null {
  if (isRecord(value)) return literal(value.value) ?? literal(value.cachedResultName);
  return literal(value);
}

/** The model a node is configured with: `model` (string or resource locator) or `modelName`. */
export function modelFromParameters(parameters: JsonRecord | null | undefined): string | null {
  if (!parameters) return null;
  return parameterValue(parameters.model) ?? parameterValue(parameters.modelName);
}

const MODEL_KEYS = ["model", "model_name", "modelName", "model_id", "modelId"] as const;

function firstModel(source: unknown): string | null {
  if (!isRecord(source)) return null;
  for (const key of MODEL_KEYS) {
    const name = literal(source[key]);
    if (name) return name;
  }
  return null;
}

/**
 * The model a run actually called, when the node's parameters do not say (an expression,
 * a renamed or deleted node). n8n's LLM tracing records the model's options as the run's
 * input and the provider's response as its output; either may carry the name.
 */
export function modelFromRun(run: JsonRecord, outputJson: JsonRecord): string | null {
  const inputOverride = run.inputOverride;
  if (isRecord(inputOverride)) {
    for (const outputs of Object.values(inputOverride)) {
      const name = firstModel(at(outputs, 0, 0, "json", "options"));
      if (name) return name;
    }
  }
  const generation = at(outputJson, "response", "generations", 0, 0);
  return (
    firstModel(at(generation, "generationInfo")) ??
    firstModel(at(generation, "message", "kwargs", "response_metadata")) ??
    firstModel(at(outputJson, "response", "llmOutput")) ??
    firstModel(at(outputJson, "llmOutput"))
  );
}
