"use client";

import { useEffect, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/**
 * A secret shown once (a new API token, a reset link): read-only, focused and selected
 * when it appears so it is not missed, with Copy and Done. Where the clipboard is not
 * available (it needs https or localhost) the value stays selected for the keyboard.
 */
export function CopySecret({
  label,
  value,
  what,
  describedBy,
  onDone,
}: {
  label: string;
  value: string;
  /** The value in words, for the status line: "token", "link". */
  what: string;
  /** The id of the text that says what to do with it. */
  describedBy: string;
  onDone: () => void;
}) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, [value]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      field.current?.select();
      setCopied("failed");
    }
  }

  return (
    <>
      <div className="flex flex-wrap items-end gap-2">
        <Field
          label={label}
          className="min-w-0 flex-1"
          controlClassName="font-mono"
          describedBy={describedBy}
          ref={field}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={copy} className={buttonClass("primary")}>
          Copy
        </button>
        <button type="button" onClick={onDone} className={buttonClass("secondary")}>
          Done
        </button>
      </div>
      <p role="status" className="min-h-5 text-sm text-amber-950">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "failed" && `Copying is not available here; the ${what} is selected, copy it with your keyboard.`}
      </p>
    </>
  );
}
