import Link from "next/link";
import { FOCUS_RING } from "@/components/ui/focus";
import { NAV_LINK } from "@/components/ui/link";
import { AlertBell } from "@/components/alerts/alert-bell";
import { currentViewer, landingPath } from "@/lib/accounts/page-guard";
import { firingCount } from "@/lib/alerts/queries";
import { getDb } from "@/lib/db/database";
import { SignOutButton } from "./sign-out-button";

/** The header's links follow the viewer's role; signed-out visitors see only the name. */
export async function SiteNav() {
  const viewer = await currentViewer();
  // The bell's first count comes with the page; a failure here only leaves it to the browser.
  const firing = viewer ? await firingCount(await getDb(), viewer.clientId).catch(() => null) : null;
  return (
    <nav aria-label="Site" className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-4 py-4 sm:px-6">
      <Link
        href={viewer ? landingPath(viewer) : "/sign-in"}
        className={`mr-auto rounded text-lg font-semibold text-brand ${FOCUS_RING}`}
      >
        Flowscope
      </Link>
      {viewer && viewer.role !== "client" && (
        <Link href="/" className={NAV_LINK}>
          Clients
        </Link>
      )}
      {viewer?.role === "admin" && (
        <Link href="/admin" className={NAV_LINK}>
          Admin
        </Link>
      )}
      {viewer?.role === "operator" && (
        <Link href="/admin/scheduler" className={NAV_LINK}>
          Scheduler
        </Link>
      )}
      {viewer && (
        <>
          <AlertBell initialCount={firing} />
          <span className="text-sm text-gray-500" title={`Signed in as ${viewer.role}`}>
            {viewer.email ?? viewer.name} <span className="sr-only">({viewer.role})</span>
          </span>
          <SignOutButton />
        </>
      )}
    </nav>
  );
}
