// The audit log's hash chain, pure: hash = sha256(prev_hash || canonical JSON of the entry), where
// the canonical JSON has sorted keys and includes the entry's sequence number, so changing, deleting
// or reordering a row breaks the chain at that row.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** What the chain covers: every field of the event plus its place in the tenant's sequence. */
export interface ChainedEvent {
  tenantId: string;
  seq: number;
  eventId: string;
  occurredAt: string;
  actorKind: string;
  actorId: string;
  action: string;
  resourceType: string;
  resourceId: string;
  outcome: string;
  detail: string;
}

export interface ChainedRow extends ChainedEvent {
  prevHash: string;
  hash: string;
}

/** JSON with keys sorted at every level, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function chainHash(prevHash: string, event: ChainedEvent): string {
  const body = canonicalJson({
    tenantId: event.tenantId,
    seq: event.seq,
    eventId: event.eventId,
    occurredAt: event.occurredAt,
    actor: { kind: event.actorKind, id: event.actorId },
    action: event.action,
    resource: { type: event.resourceType, id: event.resourceId },
    outcome: event.outcome,
    detail: event.detail,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  /** The seq of the first entry that does not fit; 0 when ok. */
  firstBrokenAt: number;
  problem: string;
}

/** Checks rows in seq order (as stored): 1, 2, 3 … without gaps, each linked to and hashed over the one before. */
export function verifyChain(rows: readonly ChainedRow[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const expectedSeq = i + 1;
    const broken = (problem: string): ChainVerdict => ({ ok: false, checked: i + 1, firstBrokenAt: expectedSeq, problem });
    if (row.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing (found ${row.seq})`);
    if (row.prevHash !== prevHash) return broken('prev_hash does not match the previous entry');
    if (chainHash(prevHash, row) !== row.hash) return broken('hash does not match the entry');
    prevHash = row.hash;
  }
  return { ok: true, checked: rows.length, firstBrokenAt: 0, problem: '' };
}
