import { and, eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { clients, workflows, type Client, type Workflow } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";

/** The full row, API key included: for the collector only, never for a response. */
export async function getClientOrThrow(db: Db, clientId: number): Promise<Client> {
  const [row] = await db.select().from(clients).where(eq(clients.id, clientId));
  if (!row) throw new AppError("not_found", `Client ${clientId} not found`);
  return row;
}

/** 404 unless the client exists: what a metrics answer checks first, without reading the row. */
export async function assertClientExists(db: Db, clientId: number): Promise<void> {
  const rows = await queryRows(db, sql`select 1 from clients where id = ${clientId}`);
  if (rows.length === 0) throw new AppError("not_found", `Client ${clientId} not found`);
}

/** One of the client's workflows (Flowscope's id); 404 when it is not the client's, so no other client's workflow is ever named. */
export async function getWorkflowOrThrow(db: Db, clientId: number, workflowId: number): Promise<Workflow> {
  const [row] = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.clientId, clientId)));
  if (!row) throw new AppError("not_found", `Workflow ${workflowId} not found for client ${clientId}`);
  return row;
}

export async function findClientBySlug(db: Db, slug: string): Promise<Client | undefined> {
  const [row] = await db.select().from(clients).where(eq(clients.slug, slug));
  return row;
}

/** Resolves a CLI or API reference that may be an id or a slug. */
export async function resolveClient(db: Db, ref: string): Promise<Client> {
  if (/^\d+$/.test(ref)) return getClientOrThrow(db, Number(ref));
  const row = await findClientBySlug(db, ref);
  if (!row) throw new AppError("not_found", `Client "${ref}" not found`);
  return row;
}

/** A client as a page about one of its runs names it: never the key. */
export async function findClientLabel(
  db: Db,
  clientId: number,
): Promise<{ id: number; name: string; slug: string; timeZone: string } | undefined> {
  const [row] = await db
    .select({ id: clients.id, name: clients.name, slug: clients.slug, timeZone: clients.timeZone })
    .from(clients)
    .where(eq(clients.id, clientId));
  return row;
}
