import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { canAccess } from "@/lib/accounts/access";
import { requirePageViewer } from "@/lib/accounts/page-guard";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Flowscope" } };

/**
 * Shared by every admin page. The layout lets operators in (they may open the scheduler
 * and run pages); each page still asks for its own level, admin for most.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await requirePageViewer("operator");
  return (
    <div className="space-y-5">
      <AdminNav isAdmin={canAccess(viewer, "admin")} />
      {children}
    </div>
  );
}
