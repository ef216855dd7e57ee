"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { FOCUS_RING } from "@/components/ui/focus";

const LINKS = [
  { href: "/admin", label: "Clients", adminOnly: true },
  { href: "/admin/users", label: "Users", adminOnly: true },
  { href: "/admin/tokens", label: "API tokens", adminOnly: true },
  { href: "/admin/prices", label: "Model prices", adminOnly: true },
  { href: "/admin/alerts", label: "Alerts", adminOnly: true },
  { href: "/admin/scheduler", label: "Scheduler", adminOnly: false },
  { href: "/admin/system", label: "System", adminOnly: false },
] as const;

/** Current when on the page or below it; "Clients" also covers /admin/clients/{id}. */
function isCurrent(pathname: string, href: string): boolean {
  if (href === "/admin") return pathname === "/admin" || pathname.startsWith("/admin/clients");
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The admin sub-navigation. Operators see only what they may open: the scheduler and the system. */
export function AdminNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin">
      <ul className="flex flex-wrap gap-1 border-b border-gray-200">
        {LINKS.filter((l) => isAdmin || !l.adminOnly).map((link) => {
          const current = isCurrent(pathname, link.href);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={`-mb-px inline-block rounded-t border-b-2 px-3 py-2 text-sm font-medium ${FOCUS_RING} ${
                  current ? "border-indigo-600 text-indigo-700" : "border-transparent text-gray-700 hover:text-gray-900"
                }`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
