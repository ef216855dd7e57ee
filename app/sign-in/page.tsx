import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNextPath } from "@/lib/accounts/next-path";
import { currentViewer, landingPath } from "@/lib/accounts/page-guard";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const asked = (await searchParams).next;
  const next = safeNextPath(Array.isArray(asked) ? asked[0] : asked);
  const viewer = await currentViewer();
  if (viewer) redirect(next ?? landingPath(viewer));
  return (
    <section aria-labelledby="sign-in-heading" className="mx-auto max-w-sm space-y-4 pt-8">
      <h1 id="sign-in-heading" className="text-2xl font-semibold">
        Sign in
      </h1>
      <SignInForm next={next} />
    </section>
  );
}
