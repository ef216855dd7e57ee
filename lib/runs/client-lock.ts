/**
 * One job per client at a time within this process: a sync started by a click, by the
 * cron or by a rules change must not interleave with another on the same client (a
 * re-classification queued behind a running sync then re-applies the new rules to what
 * that sync stored). Inngest gives the same guarantee across workers with one shared
 * concurrency key (inngest/functions). The CLI is a separate process: on the embedded
 * database it cannot run beside the server at all (the data folder lock).
 */
// On globalThis, not in the module: Next bundles this module more than once (the
// in-process scheduler loads through instrumentation, a click's sync through a route
// handler), and two maps let a click's sync run beside the cron's; the database claim
// (client-claim.ts) then refused it, so the click collected nothing.
const CHAINS = Symbol.for("flowscope.clientLockChains");
type WithChains = typeof globalThis & { [CHAINS]?: Map<number, Promise<unknown>> };
const chains = ((globalThis as WithChains)[CHAINS] ??= new Map<number, Promise<unknown>>());

export function withClientLock<T>(clientId: number, job: () => Promise<T>): Promise<T> {
  const previous = chains.get(clientId) ?? Promise.resolve();
  const result = previous.catch(() => {}).then(job);
  const settled = result.catch(() => {});
  chains.set(clientId, settled);
  void settled.finally(() => {
    if (chains.get(clientId) === settled) chains.delete(clientId);
  });
  return result;
}
