"use client";

import { useId } from "react";
import { buttonClass } from "@/components/ui/button";
import { Field, HINT } from "@/components/ui/field";
import { FOCUS_RING } from "@/components/ui/focus";

interface Props {
  /** "Include pattern", "Exclude pattern": the label of each field, numbered. */
  label: string;
  legend: string;
  hint: string;
  patterns: string[];
  onChange: (patterns: string[]) => void;
}

/** Why a pattern would be refused, checked as typed (the server checks again on save). */
export function patternProblem(pattern: string): string | null {
  if (pattern.trim() === "") return null;
  try {
    new RegExp(pattern, "i");
    return null;
  } catch (err) {
    return `Not a valid regular expression: ${(err as Error).message}`;
  }
}

/** An editable list of regular expressions: one labelled field per pattern, add and remove. */
export function PatternList({ label, legend, hint, patterns, onChange }: Props) {
  const id = useId();
  const update = (i: number, value: string) => onChange(patterns.map((p, j) => (j === i ? value : p)));
  const remove = (i: number) => onChange(patterns.filter((_, j) => j !== i));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-gray-800">{legend}</legend>
      <p id={`${id}-hint`} className={HINT}>
        {hint}
      </p>
      {patterns.length === 0 && <p className="text-sm text-gray-600">None.</p>}
      <ul className="space-y-2">
        {patterns.map((pattern, i) => (
          <li key={i}>
            <div className="flex items-start gap-2">
              <Field
                label={`${label} ${i + 1}`}
                hideLabel
                className="min-w-0 flex-1"
                controlClassName="font-mono"
                describedBy={`${id}-hint`}
                error={patternProblem(pattern)}
                value={pattern}
                onChange={(e) => update(i, e.target.value)}
                spellCheck={false}
                autoComplete="off"
              />
              <button
                type="button"
                onClick={() => remove(i)}
                className={`min-h-10 rounded px-2 text-sm text-red-700 hover:bg-red-50 ${FOCUS_RING}`}
                aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <button type="button" className={buttonClass("secondary")} onClick={() => onChange([...patterns, ""])}>
        Add {label.toLowerCase()}
      </button>
    </fieldset>
  );
}
