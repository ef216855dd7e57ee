"use client";

import { useEffect, useId, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/**
 * The new token, shown this once: only its hash is stored, so after "Done" (or leaving
 * the page) nobody can read it again. Focus moves here so the token is not missed.
 */
export function TokenReveal({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const warningId = useId();

  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, [token]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied("yes");
    } catch {
      // Clipboard access needs a secure context (https or localhost); selecting lets the user copy by hand.
      field.current?.select();
      setCopied("failed");
    }
  }

  return (
    <section
      aria-labelledby="new-token-heading"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
      data-testid="token-reveal"
    >
      <h3 id="new-token-heading" className="font-semibold text-amber-950">
        Token “{name}” created
      </h3>
      <p className="text-sm text-amber-950" id={warningId}>
        Copy it now: it will not be shown again. Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <Field
          label="New API token"
          className="min-w-0 flex-1"
          controlClassName="font-mono"
          describedBy={warningId}
          ref={field}
          readOnly
          value={token}
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
        {copied === "failed" && "Copying is not available here; the token is selected, copy it with your keyboard."}
      </p>
    </section>
  );
}
