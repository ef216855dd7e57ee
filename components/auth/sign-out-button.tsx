"use client";

import { useRouter } from "next/navigation";
import { FOCUS_RING } from "@/components/ui/focus";

export function SignOutButton() {
  const router = useRouter();
  async function signOut() {
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <button
      type="button"
      onClick={signOut}
      className={`rounded px-2 py-1 text-sm text-gray-700 hover:bg-gray-100 ${FOCUS_RING}`}
    >
      Sign out
    </button>
  );
}
