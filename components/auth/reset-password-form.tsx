"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/accounts/password-length";
import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { TEXT_LINK } from "@/components/ui/link";
import { ALERT, SUCCESS } from "@/components/ui/message";

/** Why better-auth refused the new password or the link, in words a person can act on. */
async function failureMessage(res: Response): Promise<string> {
  if (res.status === 429) return "Too many attempts. Wait a minute and try again.";
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (body?.code === "INVALID_TOKEN" || body?.code === "USER_NOT_FOUND")
    return "This link has expired or has already been used. Ask an admin for a new one.";
  // The password rule's message reads after the field's name ("newPassword: is one of …").
  if (body?.message) return `The password ${body.message.replace(/^newPassword:\s*/, "")}`.replace(/\.?$/, ".");
  return "The password could not be set; please try again.";
}

/**
 * The new password, twice, sent with the link's token to better-auth's reset endpoint;
 * the token works once. On success every session of the account has ended, so the next
 * step is signing in. The token comes from the URL's fragment (#token=…), taken out of
 * the address bar as soon as it is read so it stays out of history and screenshots.
 */
export function ResetPasswordForm() {
  // undefined until the fragment is read (it exists only in the browser), then the token or null.
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const found = new URLSearchParams(window.location.hash.slice(1)).get("token")?.trim() || null;
    if (found) window.history.replaceState(null, "", window.location.pathname);
    // Read after hydration: the server never has the fragment, so it cannot render the form.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setToken(found);
  }, []);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setError("The two passwords differ. Type the same password twice.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/reset-password", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ newPassword: password, token }),
      });
      if (!res.ok) {
        setError(await failureMessage(res));
        return;
      }
      setDone(true);
    } catch {
      setError("The server could not be reached.");
    } finally {
      setPending(false);
    }
  }

  if (token === undefined) return <p className="text-sm text-gray-600">Reading the link…</p>;
  if (token === null) {
    return (
      <p role="alert" className={ALERT}>
        This link is incomplete. Ask an admin for a new password reset link, or{" "}
        <Link href="/sign-in" className={TEXT_LINK}>
          sign in
        </Link>
        .
      </p>
    );
  }
  if (done) {
    return (
      <p role="status" className={SUCCESS}>
        Your new password is set, and you are signed out everywhere.{" "}
        <Link href="/sign-in" className={TEXT_LINK}>
          Sign in with it
        </Link>
        .
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4 rounded-lg border border-gray-200 bg-white p-5">
      <Field
        label="New password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters, not a common password.`}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        maxLength={PASSWORD_MAX_LENGTH}
      />
      <Field
        label="Repeat the new password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        maxLength={PASSWORD_MAX_LENGTH}
      />
      {error && (
        <p role="alert" className={ALERT}>
          {error}
        </p>
      )}
      <button type="submit" disabled={pending} className={`${buttonClass("primary")} w-full`}>
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
