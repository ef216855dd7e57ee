"use client";

import { useId } from "react";
import { CopySecret } from "./copy-secret";

/**
 * The new token, shown this once: only its hash is stored, so after "Done" (or leaving
 * the page) nobody can read it again. Focus moves here so the token is not missed.
 */
export function TokenReveal({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const warningId = useId();

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
      <CopySecret label="New API token" value={token} what="token" describedBy={warningId} onDone={onDone} />
    </section>
  );
}
