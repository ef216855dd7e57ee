"use client";

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { buttonClass } from "@/components/ui/button";
import { ALERT } from "@/components/ui/message";
import { errorText } from "./account-api";

interface Props {
  /** The button that asks, e.g. "Delete". */
  label: string;
  /** Names the row for screen readers: "Delete ann@example.com". */
  accessibleLabel: string;
  /** The question, e.g. "Delete ann@example.com? Their sessions end at once." */
  question: string;
  /** The button that does it, e.g. "Delete user". */
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
}

/**
 * A destructive action behind an inline confirmation instead of window.confirm: it stays
 * in the page's tab order, Escape cancels, and focus goes back where it came from.
 */
export function ConfirmAction({ label, accessibleLabel, question, confirmLabel, onConfirm }: Props) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);

  useEffect(() => {
    // Safer default: focus lands on Cancel, so Enter right after opening does nothing harmful.
    if (open) cancel.current?.focus();
    else if (wasOpen.current) trigger.current?.focus();
    wasOpen.current = open;
  }, [open]);

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && !pending) setOpen(false);
  }

  if (!open) {
    return (
      <button
        ref={trigger}
        type="button"
        className={buttonClass("secondary", "sm")}
        aria-label={accessibleLabel}
        onClick={() => setOpen(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <div role="group" aria-label={`Confirm: ${accessibleLabel}`} className="space-y-2" onKeyDown={onKeyDown}>
      <p className="text-sm text-gray-800">{question}</p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonClass("danger", "sm")} disabled={pending} onClick={confirm}>
          {pending ? "Working…" : confirmLabel}
        </button>
        <button
          ref={cancel}
          type="button"
          className={buttonClass("secondary", "sm")}
          disabled={pending}
          onClick={() => setOpen(false)}
        >
          Cancel
        </button>
      </div>
      {error !== null && (
        <p role="alert" className={ALERT}>
          {errorText(error)}
        </p>
      )}
    </div>
  );
}
