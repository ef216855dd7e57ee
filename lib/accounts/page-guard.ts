import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/lib/db/database";
import { findClientBySlug } from "@/lib/clients/queries";
import type { Client } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { authorize, type Access } from "./access";
import { REQUEST_PATH_HEADER, signInPath } from "./next-path";
import { resolveViewer, type Viewer } from "./viewer";

/** The notice a client user sent away from an operator page is shown on their own page. */
export const OPERATORS_ONLY = "operators-only";

/** Once per request, however many layouts and pages ask. */
export const currentViewer = cache(async (): Promise<Viewer | null> => {
  try {
    return await resolveViewer(await getDb(), await headers());
  } catch (err) {
    // A bad Bearer header on a page request is treated as signed out.
    if (err instanceof AppError && err.code === "unauthorized") return null;
    throw err;
  }
});

/**
 * The pages' side of the one guard (lib/accounts/access.ts decides): signed-out visitors go
 * to sign-in (and come back to the page afterwards), client users asking for an operator page go to their own page, anyone else
 * without the role sees "not found".
 */
export async function requirePageViewer(
  access: Exclude<Access, "public" | "ingest" | "system"> = "viewer",
): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(signInPath((await headers()).get(REQUEST_PATH_HEADER)));
  try {
    authorize(viewer, access);
  } catch {
    if (viewer.role === "client") redirect(`/me?notice=${OPERATORS_ONLY}`);
    notFound();
  }
  return viewer;
}

/**
 * A client's dashboard: null for a slug that does not exist and for one out of the
 * viewer's scope alike, so the page renders the same "not found" for both.
 */
export async function findPageClient(slug: string): Promise<{ viewer: Viewer; client: Client } | null> {
  const viewer = await requirePageViewer("viewer");
  const client = await findClientBySlug(await getDb(), slug);
  if (!client) return null;
  try {
    authorize(viewer, "viewer", client.id);
  } catch {
    return null;
  }
  return { viewer, client };
}

/** Where a viewer lands after sign-in: client users on their page, everyone else on the overview. */
export function landingPath(viewer: Viewer): string {
  return viewer.role === "client" ? "/me" : "/";
}
