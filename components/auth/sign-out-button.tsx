"use client";

import { useRouter } from "next/navigation";
import { NAV_LINK } from "@/components/ui/link";

export function SignOutButton() {
  const router = useRouter();
  async function signOut() {
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <button type="button" onClick={signOut} className={NAV_LINK}>
      Sign out
    </button>
  );
}
