import { canonicalJson, chainHash, GENESIS_HASH, verifyChain, type ChainedEvent, type ChainedRow } from './audit-chain';

function event(seq: number, action = 'ticket.claim'): ChainedEvent {
  return {
    tenantId: 'acme',
    seq,
    eventId: `e-${seq}`,
    occurredAt: `2026-01-01T00:00:0${seq}.000Z`,
    actorKind: 'agent',
    actorId: 'agent-7',
    action,
    resourceType: 'ticket',
    resourceId: `t-${seq}`,
    outcome: 'ok',
    detail: '',
  };
}

function chain(count: number): ChainedRow[] {
  const rows: ChainedRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const e = event(seq);
    const hash = chainHash(prevHash, e);
    rows.push({ ...e, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: 'x', c: [2, { z: 1, y: null }] }, u: undefined })).toBe(
      '{"a":{"c":[2,{"y":null,"z":1}],"d":"x"},"b":1}',
    );
  });
});

describe('chainHash', () => {
  it('is sha256 over the previous hash and the canonical entry, stable and sensitive to every field', () => {
    const e = event(1);
    const h = chainHash(GENESIS_HASH, e);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { ...e })).toBe(h);
    expect(chainHash('1'.repeat(64), e)).not.toBe(h);
    for (const field of Object.keys(e) as Array<keyof ChainedEvent>) {
      const changed = { ...e, [field]: field === 'seq' ? 2 : `${String(e[field])}x` };
      expect(chainHash(GENESIS_HASH, changed)).not.toBe(h);
    }
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, checked: 5, firstBrokenAt: 0, problem: '' });
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, firstBrokenAt: 0, problem: '' });
  });

  it('finds a changed row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], outcome: 'refused' };
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBrokenAt: 3, problem: 'hash does not match the entry' });
  });

  it('finds a changed row whose hash was recomputed, at the next row', () => {
    const rows = chain(5);
    const forged = { ...rows[2], actorId: 'someone-else' };
    rows[2] = { ...forged, hash: chainHash(forged.prevHash, forged) };
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBrokenAt: 4, problem: 'prev_hash does not match the previous entry' });
  });

  it('finds a deleted row', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBrokenAt: 2, problem: 'entry 2 is missing (found 3)' });
  });

  it('finds reordered rows, even with their sequence numbers swapped', () => {
    const rows = chain(5);
    const [second, third] = [rows[1], rows[2]];
    rows[1] = { ...third, seq: 2 };
    rows[2] = { ...second, seq: 3 };
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBrokenAt: 2 });
  });
});
