import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentViewer, landingPath } from "@/lib/accounts/page-guard";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  const viewer = await currentViewer();
  if (viewer) redirect(landingPath(viewer));
  return (
    <section aria-labelledby="sign-in-heading" className="mx-auto max-w-sm space-y-4 pt-8">
      <h1 id="sign-in-heading" className="text-2xl font-semibold">
        Sign in
      </h1>
      <SignInForm />
    </section>
  );
}
