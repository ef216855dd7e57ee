/**
 * Dense ids, as n8n's database sequence allocates them: the k-th slot that holds an
 * execution, counting from slot 0, gets rank k (the generated source adds its start id
 * and the executions injected before). Whether a slot holds one depends only on it, the
 * slots just before it and the controls, so an id never moves as time passes, history is
 * pruned or the process restarts. Per block of BLOCK slots: a prefix count of
 * executions, grown lazily up to the newest block asked for (counted once from the
 * epoch, ~0.2 µs a slot: ~0.3 s for the demo in late 2026), and the rank of each slot in
 * the CACHED_BLOCKS blocks last used (128 kB, over 30 days of the demo: getExecution
 * rarely recounts). A control that removes future executions (stopping a workflow)
 * drops what was counted from its first slot on.
 */
export const BLOCK = 1024;
const CACHED_BLOCKS = 64;

/** Which of the slots [from, to) hold an execution (1) or not (0). */
export interface SlotCounter {
  existing(from: number, to: number): Uint8Array;
}

export class DenseIds {
  /** prefix[b]: executions in the slots before block b. */
  private prefix: number[] = [0];
  private readonly cachedBlocks = new Float64Array(CACHED_BLOCKS).fill(-1);
  private readonly cachedRanks: Uint16Array[] = new Array(CACHED_BLOCKS);

  /** `everySlot()`: true while every slot holds one (no daily pattern, nothing stopped): rank = slot. */
  constructor(
    private readonly slots: SlotCounter,
    private readonly everySlot: () => boolean,
  ) {}

  /** Executions in the slots before `slot` (>= 0): the rank of its own, if it holds one. */
  rank(slot: number): number {
    if (this.everySlot()) return slot;
    const block = Math.floor(slot / BLOCK);
    this.grow(block);
    return this.prefix[block] + this.ranks(block)[slot - block * BLOCK];
  }

  /** The slot holding the execution of rank k, or null if it comes after `maxSlot`. */
  select(k: number, maxSlot: number): number | null {
    if (k < 0 || maxSlot < 0) return null;
    if (this.everySlot()) return k <= maxSlot ? k : null;
    const maxBlock = Math.floor(maxSlot / BLOCK);
    this.grow(maxBlock + 1);
    if (k >= this.prefix[maxBlock + 1]) return null;
    // The block b with prefix[b] <= k < prefix[b + 1].
    let [lo, hi] = [0, maxBlock];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.prefix[mid] <= k) lo = mid;
      else hi = mid - 1;
    }
    const ranks = this.ranks(lo);
    const target = k - this.prefix[lo];
    // The offset i where the rank steps from target to target + 1.
    let [a, b] = [0, BLOCK - 1];
    while (a < b) {
      const mid = (a + b) >> 1;
      if (ranks[mid + 1] <= target) a = mid + 1;
      else b = mid;
    }
    const slot = lo * BLOCK + a;
    return slot <= maxSlot ? slot : null;
  }

  /** Forgets what was counted from `slot` on: its slots changed (only ever slots not served yet). */
  invalidateFrom(slot: number): void {
    const block = Math.max(0, Math.floor(slot / BLOCK));
    this.prefix = this.prefix.slice(0, block + 1);
    for (let i = 0; i < CACHED_BLOCKS; i++) if (this.cachedBlocks[i] >= block) this.cachedBlocks[i] = -1;
  }

  private grow(block: number): void {
    while (this.prefix.length <= block) {
      const b = this.prefix.length - 1;
      this.prefix.push(this.prefix[b] + this.ranks(b)[BLOCK]);
    }
  }

  /** ranks[i]: executions in the block's slots before offset i (BLOCK + 1 entries). */
  private ranks(block: number): Uint16Array {
    const i = block % CACHED_BLOCKS;
    if (this.cachedBlocks[i] === block) return this.cachedRanks[i];
    const existing = this.slots.existing(block * BLOCK, (block + 1) * BLOCK);
    const ranks = new Uint16Array(BLOCK + 1);
    for (let j = 0; j < BLOCK; j++) ranks[j + 1] = ranks[j] + existing[j];
    this.cachedBlocks[i] = block;
    this.cachedRanks[i] = ranks;
    return ranks;
  }
}
