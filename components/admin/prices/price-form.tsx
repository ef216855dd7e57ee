"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { formatUsd } from "@/components/format/money";
import { buttonClass } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { ALERT, SUCCESS } from "@/components/ui/message";
import { createModelPrice, modelPricesQuery, pricesInForceQuery, type NewModelPrice } from "./price-api";

type PriceField = keyof NewModelPrice;

/** Form values as text; a blank price is refused here rather than sent as 0. */
function toBody(form: FormData): NewModelPrice | { problem: string; field: PriceField } {
  const text = (name: PriceField) => String(form.get(name) ?? "").trim();
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
  const [error, setError] = useState<{ message: string; field: PriceField | null } | null>(null);
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
      setError({ message: result.message, field: result.field as PriceField | null });
      return;
    }
    formElement.reset();
    setSaved(
      `Saved: ${body.model}${body.provider ? ` (${body.provider})` : ""} at ${formatUsd(body.inputPerMillionUsd)} in / ` +
        `${formatUsd(body.outputPerMillionUsd)} out per 1M tokens from ${body.effectiveFrom.slice(0, 10)}.`,
    );
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: modelPricesQuery().queryKey }),
      queryClient.invalidateQueries({ queryKey: pricesInForceQuery().queryKey }),
    ]);
  }

  /** The field a message names is marked invalid and described by it. */
  const refusal = (field: PriceField) => ({ invalid: error?.field === field, errorId });

  return (
    <form onSubmit={onSubmit} noValidate className={`space-y-4 ${CARD}`} aria-labelledby="price-form-heading">
      <h2 id="price-form-heading" className="text-base font-semibold">
        Add a price
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Model" name="model" required autoComplete="off" placeholder="gpt-4o-mini" {...refusal("model")} />
        <Field
          label={
            <>
              Provider <span className="font-normal text-gray-600">(optional)</span>
            </>
          }
          hint="Leave empty to apply to the model under any provider."
          name="provider"
          autoComplete="off"
          placeholder="openai"
          {...refusal("provider")}
        />
        <Field
          label="Input $ per 1M tokens"
          name="inputPerMillionUsd"
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          required
          placeholder="0.15"
          {...refusal("inputPerMillionUsd")}
        />
        <Field
          label="Output $ per 1M tokens"
          name="outputPerMillionUsd"
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          required
          placeholder="0.60"
          {...refusal("outputPerMillionUsd")}
        />
        <Field
          label="Effective from (UTC)"
          name="effectiveFrom"
          type="date"
          required
          defaultValue={today}
          {...refusal("effectiveFrom")}
        />
      </div>
      {error && (
        <p id={errorId} role="alert" className={ALERT}>
          {error.message}
        </p>
      )}
      {saved && (
        <p role="status" className={SUCCESS}>
          {saved}
        </p>
      )}
      <button type="submit" disabled={pending} className={buttonClass("primary")}>
        {pending ? "Saving…" : "Add price"}
      </button>
    </form>
  );
}
