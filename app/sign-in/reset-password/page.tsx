import type { Metadata } from "next";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";

export const metadata: Metadata = { title: "Set a new password" };

/**
 * Where a password reset link leads (an admin issues it under Admin → Users): open signed
 * out, like sign-in. The token is in the link's fragment, which only the browser sees; the
 * form reads it and better-auth's own reset endpoint accepts it once, before it expires.
 */
export default function ResetPasswordPage() {
  return (
    <section aria-labelledby="reset-heading" className="mx-auto max-w-sm space-y-4 pt-8">
      <h1 id="reset-heading" className="text-2xl font-semibold">
        Set a new password
      </h1>
      <ResetPasswordForm />
    </section>
  );
}
