import { retentionProblems } from './privacy-admin.service';

describe('retentionProblems', () => {
  it('accepts whole days from 0 to 3650', () => {
    expect(retentionProblems({ conversationDays: 0, attachmentDays: 3650 })).toEqual([]);
  });

  it('names every wrong, missing or unknown field', () => {
    expect(retentionProblems({ conversationDays: '30', attachmentDays: 1.5, keepForever: true }).map((p) => p.field)).toEqual([
      'keepForever',
      'conversationDays',
      'attachmentDays',
    ]);
    expect(retentionProblems({ conversationDays: -1 })).toEqual([
      { field: 'conversationDays', problem: 'is required: a whole number of days from 0 (keep for ever) to 3650' },
      { field: 'attachmentDays', problem: 'is required: a whole number of days from 0 (keep for ever) to 3650' },
    ]);
    expect(retentionProblems({ conversationDays: 3651, attachmentDays: 0 }).map((p) => p.field)).toEqual(['conversationDays']);
  });
});
