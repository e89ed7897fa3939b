import { decideAutonomy, isActionIntent, type IntentFigures } from './autonomy-decision';

const NOW = { intents: 7, knowledge: 3, flows: 'f2' };
const measured = (passK: number, intentsRevision = 7, knowledgeRevision = 3, flowsRevision = 'f2'): IntentFigures => ({
  tasks: 10,
  k: 3,
  pass1: Math.min(1, passK + 0.1),
  passK,
  measuredAt: new Date('2026-12-01T10:00:00Z'),
  intentsRevision,
  knowledgeRevision,
  flowsRevision,
});

describe('autonomy earned per intent', () => {
  it('acts alone at bar 0 (the default), measured or not', () => {
    expect(decideAutonomy('cancel_order', 0, undefined, NOW)).toEqual({ act: true });
    expect(decideAutonomy('cancel_order', 0, measured(0.1), NOW)).toEqual({ act: true });
  });

  it('acts alone when the current figures reach the bar, including exactly at it', () => {
    expect(decideAutonomy('cancel_order', 0.9, measured(0.95), NOW)).toEqual({ act: true });
    expect(decideAutonomy('cancel_order', 0.9, measured(0.9), NOW)).toEqual({ act: true });
  });

  it('asks a person when the figures are below the bar, saying by how much', () => {
    const decision = decideAutonomy('return_item', 0.9, measured(0.6), NOW);
    expect(decision.act).toBe(false);
    expect(decision).toMatchObject({ why: 'return_item needs pass^k 0.90; measured 0.60 over 10 tasks (k=3)' });
  });

  it('counts an intent never measured as below any bar above 0', () => {
    expect(decideAutonomy('exchange_item', 0.01, undefined, NOW)).toEqual({
      act: false,
      why: 'exchange_item needs pass^k 0.01; it has not been measured',
    });
  });

  it('counts figures measured against other intent examples as not measured, however good', () => {
    const decision = decideAutonomy('cancel_order', 0.5, measured(1, 6), NOW);
    expect(decision.act).toBe(false);
    expect(decision).toMatchObject({ why: expect.stringContaining("predate the intent examples' revision 7") });
  });

  it('counts figures measured against another knowledge base as not measured', () => {
    const decision = decideAutonomy('cancel_order', 0.5, measured(1, 7, 2), NOW);
    expect(decision).toMatchObject({ act: false, why: expect.stringContaining("predate the knowledge base's revision 3") });
  });

  it('counts figures measured on other order flows as not measured, and figures from before flows were recorded too', () => {
    expect(decideAutonomy('cancel_order', 0.5, measured(1, 7, 3, 'f1'), NOW)).toMatchObject({
      act: false,
      why: expect.stringContaining('were measured on other order flows (revision f1; this service runs f2)'),
    });
    expect(decideAutonomy('cancel_order', 0.5, measured(1, 7, 3, ''), NOW)).toMatchObject({
      act: false,
      why: expect.stringContaining('other order flows (revision unknown;'),
    });
  });

  it('knows the order flows a bar applies to, and nothing else', () => {
    expect(isActionIntent('cancel_order')).toBe(true);
    expect(isActionIntent('change_user_address')).toBe(true);
    expect(isActionIntent('order_status')).toBe(false);
    expect(isActionIntent('toString')).toBe(false);
  });
});
