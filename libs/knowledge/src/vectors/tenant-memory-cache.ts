// Which tenants' records are held in memory (TenantMemoryIndex), and when a copy is stale.
//
// A copy is labelled with a stamp read before it began to load, and serves only while the stamp is
// still current. The store supplies the stamps (lancedb.vector-store.ts): a count of the writes
// that touched the tenant in the writer, the table's version in a reader. A write that lands during
// a load only makes the copy look older than it is, and it is loaded again; it never looks newer.
import type { TenantMemoryIndex } from './tenant-memory-index';

export interface TenantMemoryLimits {
  /** A tenant with more records than this in a collection is searched by the store itself. 0 = off. */
  tenantRows: number;
  /** Records held across all tenants; the least recently searched copies go first. */
  totalRows: number;
}

/** The loader's answer: the tenant's copy, or 'large' when it has more than `tenantRows` records. */
export type TenantCopy = TenantMemoryIndex | 'large';

interface Entry {
  stamp: number;
  copy: Promise<TenantCopy>;
  rows: number;
}

export class TenantMemoryCache {
  private readonly entries = new Map<string, Entry>();
  private heldRows = 0;

  constructor(readonly limits: TenantMemoryLimits) {}

  get enabled(): boolean {
    return this.limits.tenantRows > 0;
  }

  /**
   * The tenant's copy at `stamp` (read before this call), loading it with `load(maxRows)` when
   * there is none for that stamp.
   */
  async get(collection: string, tenantId: string, stamp: number, load: (maxRows: number) => Promise<TenantCopy>): Promise<TenantCopy> {
    const key = keyOf(collection, tenantId);
    const held = this.entries.get(key);
    if (held && held.stamp === stamp) {
      // Most recently used last: Map keeps insertion order, so eviction takes from the front.
      this.entries.delete(key);
      this.entries.set(key, held);
      return held.copy;
    }
    const entry: Entry = { stamp, copy: load(this.limits.tenantRows), rows: 0 };
    this.replace(key, entry);
    try {
      const loaded = await entry.copy;
      if (this.entries.get(key) === entry) {
        entry.rows = loaded === 'large' ? 0 : loaded.size;
        this.heldRows += entry.rows;
        this.evict();
      }
      return loaded;
    } catch (error) {
      if (this.entries.get(key) === entry) this.replace(key, undefined);
      throw error;
    }
  }

  /** Records currently held (for diagnostics and tests). */
  get rows(): number {
    return this.heldRows;
  }

  private replace(key: string, entry: Entry | undefined): void {
    const old = this.entries.get(key);
    if (old) {
      this.heldRows -= old.rows;
      this.entries.delete(key);
    }
    if (entry) this.entries.set(key, entry);
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.heldRows <= this.limits.totalRows) return;
      if (entry.rows > 0) this.replace(key, undefined);
    }
  }
}

// Collection names and tenant ids are validated (no newlines) before they reach here.
function keyOf(collection: string, tenantId: string): string {
  return `${collection}\n${tenantId}`;
}
