"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { ResetLink } from "@/lib/accounts/password-reset";
import { formatTimestamp } from "@/components/format/format";
import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/**
 * A password reset link to pass on by hand. Said plainly: it is shown because no email is
 * configured, works once, and expires. Focus moves to it so it is not missed.
 */
export function ResetLinkReveal({ link, onDone }: { link: ResetLink; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const noteId = useId();
  const headingId = useId();

  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, [link.url]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied("yes");
    } catch {
      // Clipboard access needs a secure context (https or localhost); selecting lets the admin copy by hand.
      field.current?.select();
      setCopied("failed");
    }
  }

  return (
    <section
      aria-labelledby={headingId}
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
      data-testid="reset-link"
    >
      <h3 id={headingId} className="font-semibold text-amber-950">
        Password reset link for {link.email}
      </h3>
      <p className="text-sm text-amber-950" id={noteId}>
        No email is configured, so the link is shown here instead of being sent: copy it and give it to {link.email}{" "}
        yourself. It works once, until {formatTimestamp(link.expiresAt)}; setting the new password signs them out
        everywhere.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <Field
          label="Reset link"
          className="min-w-0 flex-1"
          controlClassName="font-mono"
          describedBy={noteId}
          ref={field}
          readOnly
          value={link.url}
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
        {copied === "failed" && "Copying is not available here; the link is selected, copy it with your keyboard."}
      </p>
    </section>
  );
}
