/**
 * Runs `work` over `items` with at most `limit` in flight, in order of start. Used where
 * one request per item is unavoidable (execution run data), so a client's n8n sees a
 * small, steady load instead of a burst or a slow single file; and for per-client
 * database work that can run side by side (rollups of different clients).
 */
export async function forEachPooled<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
