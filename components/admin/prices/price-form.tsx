"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { FOCUS_RING } from "@/components/ui/focus";
import { formatUsd } from "@/components/format/money";
import { createModelPrice, modelPricesQuery, type NewModelPrice } from "./price-api";

const INPUT = `mt-1 block w-full rounded border border-gray-300 px-3 py-2 aria-[invalid=true]:border-red-600 ${FOCUS_RING}`;

type Field = keyof NewModelPrice;

/** Form values as text; a blank price is refused here rather than sent as 0. */
function toBody(form: FormData): NewModelPrice | { problem: string; field: Field } {
  const text = (name: Field) => String(form.get(name) ?? "").trim();
  const price = (name: "inputPerMillionUsd" | "outputPerMillionUsd") =>
    text(name) === "" ? Number.NaN : Number(text(name));
  const body: NewModelPrice = {
    model: text("model"),
    provider: text("provider") || null,
    inputPerMillionUsd: price("inputPerMillionUsd"),
    outputPerMillionUsd: price("outputPerMillionUsd"),
    // A date input gives a whole UTC day: the price applies from its midnight.
    effectiveFrom: text("effectiveFrom") ? `${text("effectiveFrom")}T00:00:00.000Z` : "",
  };
  if (!body.model) return { problem: "Model: enter the model name, e.g. gpt-4o-mini.", field: "model" };
  for (const f of ["inputPerMillionUsd", "outputPerMillionUsd"] as const) {
    if (!Number.isFinite(body[f]) || body[f] < 0)
      return {
        problem: `${f === "inputPerMillionUsd" ? "Input" : "Output"} price: enter a number of dollars, 0 or more.`,
        field: f,
      };
  }
  if (!body.effectiveFrom) return { problem: "Effective from: pick a date.", field: "effectiveFrom" };
  return body;
}

/** Adds a price override; the server's refusal is shown as it words it, next to the field it names. */
export function PriceForm({ today }: { today: string }) {
  const queryClient = useQueryClient();
  const errorId = useId();
  const hintId = useId();
  const [error, setError] = useState<{ message: string; field: Field | null } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    setSaved(null);
    const body = toBody(new FormData(formElement));
    if ("problem" in body) {
      setError({ message: body.problem, field: body.field });
      return;
    }
    setPending(true);
    setError(null);
    const result = await createModelPrice(body);
    setPending(false);
    if (!result.ok) {
      setError({ message: result.message, field: result.field as Field | null });
      return;
    }
    formElement.reset();
    setSaved(
      `Saved: ${body.model}${body.provider ? ` (${body.provider})` : ""} at ${formatUsd(body.inputPerMillionUsd)} in / ` +
        `${formatUsd(body.outputPerMillionUsd)} out per 1M tokens from ${body.effectiveFrom.slice(0, 10)}.`,
    );
    await queryClient.invalidateQueries({ queryKey: modelPricesQuery().queryKey });
  }

  const invalid = (field: Field) =>
    error?.field === field ? { "aria-invalid": true, "aria-describedby": errorId } : {};

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="space-y-4 rounded-lg border border-gray-200 bg-white p-4"
      aria-labelledby="price-form-heading"
    >
      <h2 id="price-form-heading" className="text-base font-semibold">
        Add a price
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="block text-sm font-medium">
          Model
          <input
            name="model"
            required
            autoComplete="off"
            placeholder="gpt-4o-mini"
            className={INPUT}
            {...invalid("model")}
          />
        </label>
        <div>
          <label className="block text-sm font-medium">
            Provider <span className="font-normal text-gray-600">(optional)</span>
            <input
              name="provider"
              autoComplete="off"
              placeholder="openai"
              aria-describedby={hintId}
              className={INPUT}
              {...invalid("provider")}
            />
          </label>
          <p id={hintId} className="mt-1 text-xs text-gray-600">
            Leave empty to apply to the model under any provider.
          </p>
        </div>
        <label className="block text-sm font-medium">
          Input $ per 1M tokens
          <input
            name="inputPerMillionUsd"
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            required
            placeholder="0.15"
            className={INPUT}
            {...invalid("inputPerMillionUsd")}
          />
        </label>
        <label className="block text-sm font-medium">
          Output $ per 1M tokens
          <input
            name="outputPerMillionUsd"
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            required
            placeholder="0.60"
            className={INPUT}
            {...invalid("outputPerMillionUsd")}
          />
        </label>
        <label className="block text-sm font-medium">
          Effective from (UTC)
          <input
            name="effectiveFrom"
            type="date"
            required
            defaultValue={today}
            className={INPUT}
            {...invalid("effectiveFrom")}
          />
        </label>
      </div>
      {error && (
        <p id={errorId} role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error.message}
        </p>
      )}
      {saved && (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {saved}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className={`rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 disabled:opacity-60 ${FOCUS_RING}`}
      >
        {pending ? "Saving…" : "Add price"}
      </button>
    </form>
  );
}
