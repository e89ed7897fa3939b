import { create, PassageSchema, StandardAnswerSchema } from '@switchboard/contracts';
import { draftReply } from './reply-draft';

const passage = (text: string, relevant = true) =>
  create(PassageSchema, { id: 'p', documentId: 'd', title: 'Retail policy > Returns', text, relevant });

describe('draftReply', () => {
  it('uses an approved answer as it stands', () => {
    const standardAnswer = create(StandardAnswerSchema, { answer: ' Refunds take 5-7 business days. ', confidence: 0.93 });
    expect(draftReply({ passages: [passage('anything else.')], standardAnswer })).toBe('Refunds take 5-7 business days.');
  });

  it('quotes the opening sentences of the first relevant passage, without headings or list markers', () => {
    const text =
      '## Return delivered order\n- An order can be returned only if it is delivered.\n- The user must provide the payment method for the refund. Refunds go back in 5-7 days.\nMore details follow here in a long tail that should not be needed at all by the draft because it is long enough already.';
    const draft = draftReply({ passages: [passage('Irrelevant first hit.', false), passage(text)] });
    expect(draft.startsWith('An order can be returned only if it is delivered.')).toBe(true);
    expect(draft).not.toMatch(/##|^-|\s-\s/);
    expect(draft.length).toBeLessThanOrEqual(600);
  });

  it('says nothing when nothing was found', () => {
    expect(draftReply({ passages: [] })).toBe('');
  });

  it('splits Chinese sentences too', () => {
    expect(draftReply({ passages: [passage('退货需在签收后七天内申请。退款原路返回。' + '其他说明。'.repeat(60))] })).toMatch(
      /^退货需在签收后七天内申请。/,
    );
  });
});
