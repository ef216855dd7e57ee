"use client";

import { useId } from "react";
import type { ResetLink } from "@/lib/accounts/password-reset";
import { formatTimestamp } from "@/components/format/format";
import { CopySecret } from "./copy-secret";

/**
 * A password reset link to pass on by hand. Said plainly: it is shown because no email is
 * configured, works once, and expires. Focus moves to it so it is not missed.
 */
export function ResetLinkReveal({ link, onDone }: { link: ResetLink; onDone: () => void }) {
  const noteId = useId();
  const headingId = useId();

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
      <CopySecret label="Reset link" value={link.url} what="link" describedBy={noteId} onDone={onDone} />
    </section>
  );
}
