"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FOCUS_RING } from "@/components/ui/focus";

const INPUT = `mt-1 block w-full rounded border border-gray-300 px-3 py-2 ${FOCUS_RING}`;

/** Why a sign-in failed, in words a person can act on. */
async function failureMessage(res: Response): Promise<string> {
  if (res.status === 429) {
    const wait = res.headers.get("x-retry-after");
    return `Too many sign-in attempts. Try again${wait ? ` in ${wait} seconds` : " in a minute"}.`;
  }
  if (res.status === 401 || res.status === 400) return "Wrong email or password.";
  return "Sign-in failed; please try again.";
}

export function SignInForm() {
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
      // "/" sends client users on to their own page.
      router.replace("/");
      router.refresh();
    } catch {
      setError("The server could not be reached.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4 rounded-lg border border-gray-200 bg-white p-5" noValidate={false}>
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" autoComplete="username" required className={INPUT} />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          minLength={8}
          className={INPUT}
        />
      </label>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className={`w-full rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 disabled:opacity-60 ${FOCUS_RING}`}
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
