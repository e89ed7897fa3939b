// Which tenants' records are held in memory (TenantMemoryIndex), and when a copy is stale.
//
// Exact only where every write passes through this process: the embedded store has one writer per
// table (lancedb.vector-store.ts), which calls changed() after each write it makes. A copy loaded
// while a write was under way is used by the search that loaded it (the same as a search racing the
// write) but never kept, so no later search sees the state before a finished write.
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
  generation: number;
  copy: Promise<TenantCopy>;
  rows: number;
}

export class TenantMemoryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  private heldRows = 0;

  constructor(readonly limits: TenantMemoryLimits) {}

  get enabled(): boolean {
    return this.limits.tenantRows > 0;
  }

  /** The tenant's copy, loading it with `load(maxRows)` when there is none or it is stale. */
  async get(collection: string, tenantId: string, load: (maxRows: number) => Promise<TenantCopy>): Promise<TenantCopy> {
    const key = keyOf(collection, tenantId);
    const generation = this.generation(collection, tenantId);
    const held = this.entries.get(key);
    if (held && held.generation === generation) {
      // Most recently used last: Map keeps insertion order, so eviction takes from the front.
      this.entries.delete(key);
      this.entries.set(key, held);
      return held.copy;
    }
    const copy = load(this.limits.tenantRows);
    const entry: Entry = { generation, copy, rows: 0 };
    this.replace(key, entry);
    try {
      const loaded = await copy;
      if (this.entries.get(key) === entry && this.generation(collection, tenantId) === generation) {
        entry.rows = loaded === 'large' ? 0 : loaded.size;
        this.heldRows += entry.rows;
        this.evict();
      } else if (this.entries.get(key) === entry) {
        this.replace(key, undefined);
      }
      return loaded;
    } catch (error) {
      if (this.entries.get(key) === entry) this.replace(key, undefined);
      throw error;
    }
  }

  /** A write to these tenants' records finished or failed: their copies are stale. */
  changed(collection: string, tenantIds: Iterable<string>): void {
    for (const tenantId of tenantIds) {
      const key = keyOf(collection, tenantId);
      this.generations.set(key, this.generation(collection, tenantId) + 1);
      this.replace(key, undefined);
    }
  }

  /** Records currently held (for diagnostics and tests). */
  get rows(): number {
    return this.heldRows;
  }

  private generation(collection: string, tenantId: string): number {
    return this.generations.get(keyOf(collection, tenantId)) ?? 0;
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
