"use client";

import { useId } from "react";
import { Field, HINT, SelectField, SwitchField } from "@/components/ui/field";
import type { AlertRuleKind } from "@/lib/core/vocabulary";
import type { ParamValue, ParamValues } from "./rule-draft";
import { KIND_FIELDS, type FieldSpec, type MultiSpec } from "./rule-kinds";

/** Several checkboxes in a fieldset, e.g. the anomaly kind's metrics. */
function MultiField({
  spec,
  value,
  onChange,
  invalid,
  errorId,
}: {
  spec: MultiSpec;
  value: string[];
  onChange: (v: string[]) => void;
  invalid: boolean;
  errorId: string;
}) {
  const id = useId();
  return (
    <fieldset aria-describedby={invalid ? errorId : undefined} aria-invalid={invalid || undefined}>
      <legend className="text-sm font-medium text-gray-800">{spec.label}</legend>
      <div className="mt-2 flex flex-wrap gap-4">
        {spec.options.map(([option, label]) => (
          <div key={option} className="flex items-center gap-2">
            <input
              id={`${id}-${option}`}
              type="checkbox"
              className="h-5 w-5 rounded border-gray-300 text-indigo-600"
              checked={value.includes(option)}
              onChange={(e) =>
                onChange(e.currentTarget.checked ? [...value, option] : value.filter((v) => v !== option))
              }
            />
            <label htmlFor={`${id}-${option}`} className="text-sm text-gray-800">
              {label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * The fields of one rule kind, each with its unit in the label and its range in the
 * control (min, max), and the kind's condition in a sentence above them.
 */
export function KindFields({
  kind,
  values,
  onChange,
  invalidField,
  errorId,
}: {
  kind: AlertRuleKind;
  values: ParamValues;
  onChange: (name: string, value: ParamValue) => void;
  /** The field path a refusal named, e.g. "params.thresholdPct". */
  invalidField: string | null;
  errorId: string;
}) {
  const { summary, fields } = KIND_FIELDS[kind];
  const invalid = (spec: FieldSpec) => invalidField === `params.${spec.name}` || invalidField === "params";
  return (
    <div className="space-y-3">
      <p className={HINT} data-testid="kind-summary">
        {summary}
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        {fields.map((spec) => {
          const value = values[spec.name];
          const common = { invalid: invalid(spec), errorId };
          switch (spec.type) {
            case "number":
              return (
                <Field
                  key={spec.name}
                  label={
                    <>
                      {spec.label}
                      {spec.unit && <span className="font-normal text-gray-600"> ({spec.unit})</span>}
                    </>
                  }
                  name={`params.${spec.name}`}
                  type="number"
                  inputMode="decimal"
                  min={spec.min}
                  max={spec.max}
                  step={spec.step ?? 1}
                  value={String(value ?? "")}
                  onChange={(e) => onChange(spec.name, e.currentTarget.value)}
                  hint={spec.hint}
                  {...common}
                />
              );
            case "select":
              return (
                <SelectField
                  key={spec.name}
                  label={spec.label}
                  name={`params.${spec.name}`}
                  value={String(value ?? spec.default)}
                  onChange={(e) => onChange(spec.name, e.currentTarget.value)}
                  hint={spec.hint}
                  {...common}
                >
                  {spec.options.map(([option, label]) => (
                    <option key={option} value={option}>
                      {label}
                    </option>
                  ))}
                </SelectField>
              );
            case "boolean":
              return (
                <SwitchField
                  key={spec.name}
                  className="sm:col-span-2"
                  label={spec.label}
                  hint={spec.hint}
                  name={`params.${spec.name}`}
                  checked={value === true}
                  onChange={(e) => onChange(spec.name, e.currentTarget.checked)}
                />
              );
            case "multi":
              return (
                <MultiField
                  key={spec.name}
                  spec={spec}
                  value={Array.isArray(value) ? value : [...spec.default]}
                  onChange={(v) => onChange(spec.name, v)}
                  {...common}
                />
              );
          }
        })}
      </div>
    </div>
  );
}
