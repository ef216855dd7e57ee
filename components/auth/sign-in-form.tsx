"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ALERT } from "@/components/ui/message";

/** Why a sign-in failed, in words a person can act on. */
async function failureMessage(res: Response): Promise<string> {
  if (res.status === 429) {
    const wait = res.headers.get("x-retry-after");
    return `Too many sign-in attempts. Try again${wait ? ` in ${wait} seconds` : " in a minute"}.`;
  }
  if (res.status === 401 || res.status === 400) return "Wrong email or password.";
  return "Sign-in failed; please try again.";
}

/** `next`: the page asked for before sign-in (already checked: safeNextPath), else the landing page. */
export function SignInForm({ next }: { next: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
      });
      if (!res.ok) {
        setError(await failureMessage(res));
        return;
      }
      // "/" sends client users on to their own page; so does an operator page they asked for.
      router.replace(next ?? "/");
      router.refresh();
    } catch {
      setError("The server could not be reached.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4 rounded-lg border border-gray-200 bg-white p-5" noValidate={false}>
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      {/* No minLength: a too-short password is a wrong one, and says so like any other. */}
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      {error && (
        <p role="alert" className={ALERT}>
          {error}
        </p>
      )}
      <button type="submit" disabled={pending} className={`${buttonClass("primary")} w-full`}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
