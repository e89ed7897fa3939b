import { create, SummarizeRequestSchema } from '@switchboard/contracts';
import { summaryPrompt } from './handoff-summary.service';

describe('summaryPrompt', () => {
  it('gives the model only the facts and lines it was handed, in the customer language', () => {
    const prompt = summaryPrompt(
      create(SummarizeRequestSchema, {
        tenantId: 't',
        conversationId: 'c',
        locale: 'zh-CN',
        lines: ['Customer: 我的订单在哪里？ [EMAIL]'],
        facts: [{ name: 'order in focus', value: '#W1' }],
      }),
    );
    expect(prompt[0].content).toContain('Write in Chinese.');
    expect(prompt[1].content).toBe('Facts:\n- order in focus: #W1\n\nConversation:\nCustomer: 我的订单在哪里？ [EMAIL]');
  });
});
