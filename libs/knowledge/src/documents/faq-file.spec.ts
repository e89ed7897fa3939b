import { parseFaqFile } from './faq-file';
import { DocumentError } from './parsed-document';

function faqError(run: () => unknown): DocumentError {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error('expected a DocumentError');
}

describe('parseFaqFile, CSV', () => {
  it('reads quoted fields holding commas, quotes and line breaks, and "|"-separated lists', () => {
    const csv = [
      ' FAQ_ID , Question,Alt_Questions,Answer,Approved,Tags,internal_notes',
      'R-1,"Can I return an item, even if opened?","Return opened item|Opened box return | ","Yes, within 30 days.',
      'Bring the receipt and say ""return"".",yes,returns|policy,ignored',
      'R-2,How long do refunds take?,,5-10 business days.,0,,',
      ',,,,,,',
      'R-3,Do you ship abroad?,Ship internationally,We ship to the EU.,TRUE,shipping,',
    ].join('\n');
    expect(parseFaqFile('faq.csv', csv, 'csv')).toEqual([
      {
        faqId: 'R-1',
        question: 'Can I return an item, even if opened?',
        altQuestions: ['Return opened item', 'Opened box return'],
        answer: 'Yes, within 30 days.\nBring the receipt and say "return".',
        approved: true,
        tags: ['returns', 'policy'],
      },
      { faqId: 'R-2', question: 'How long do refunds take?', altQuestions: [], answer: '5-10 business days.', approved: false, tags: [] },
      {
        faqId: 'R-3',
        question: 'Do you ship abroad?',
        altQuestions: ['Ship internationally'],
        answer: 'We ship to the EU.',
        approved: true,
        tags: ['shipping'],
      },
    ]);
  });

  it('reads Chinese FAQs', () => {
    const csv =
      'faq_id,question,alt_questions,answer,approved\n' +
      'Z-1,如何申请退货？,怎么退货|退货流程,"请在订单页面点击""退货""，\n然后选择原因。",是\n';
    const error = faqError(() => parseFaqFile('faq-zh.csv', csv, 'csv'));
    expect(error.message).toBe('faq-zh.csv row 2: approved must be true/false, yes/no or 1/0, not "是"');

    const entries = parseFaqFile('faq-zh.csv', csv.replace(',是\n', ',yes\n'), 'csv');
    expect(entries).toEqual([
      {
        faqId: 'Z-1',
        question: '如何申请退货？',
        altQuestions: ['怎么退货', '退货流程'],
        answer: '请在订单页面点击"退货"，\n然后选择原因。',
        approved: true,
        tags: [],
      },
    ]);
  });

  it('only needs faq_id, question and answer; approved defaults to false', () => {
    expect(parseFaqFile('faq.csv', 'answer,question,faq_id\nYes.,Open on Sunday?,H-1\n', 'csv')).toEqual([
      { faqId: 'H-1', question: 'Open on Sunday?', altQuestions: [], answer: 'Yes.', approved: false, tags: [] },
    ]);
  });

  it('accepts the semicolon-separated CSV that Excel writes in some locales', () => {
    const [entry] = parseFaqFile('faq.csv', 'faq_id;question;answer\nA;Hours?;9 to 5, Monday to Friday.\n', 'csv');
    expect(entry?.answer).toBe('9 to 5, Monday to Friday.');
  });

  it('names the spreadsheet row (header = row 1) of an empty question or answer, counting multi-line rows once', () => {
    const csv = 'faq_id,question,answer\nA,"Multi\nline question?",Fine.\nB,   ,Answer.\nC,Question?,\n';
    const error = faqError(() => parseFaqFile('faq.csv', csv, 'csv'));
    expect(error.code).toBe('INVALID_FAQ');
    expect(error.problems).toEqual(['faq.csv row 3: question is empty', 'faq.csv row 4: answer is empty']);
    expect(error.message).toBe('faq.csv row 3: question is empty; faq.csv row 4: answer is empty');
  });

  it('names both rows of a duplicate faq_id', () => {
    const error = faqError(() => parseFaqFile('faq.csv', 'faq_id,question,answer\nA,Q1?,A1.\nB,Q2?,A2.\nA,Q3?,A3.\n', 'csv'));
    expect(error.message).toBe('faq.csv rows 2 and 4: faq_id "A" is used twice; every FAQ needs its own id');
  });

  it('refuses a header without faq_id, listing what it found', () => {
    const error = faqError(() => parseFaqFile('faq.csv', 'id,question,answer\n1,Q?,A.\n', 'csv'));
    expect(error.code).toBe('INVALID_FAQ');
    expect(error.message).toMatch(/^faq\.csv: the header row has no faq_id column \(found: id, question, answer\)/);
  });

  it('reports a broken quote with its line', () => {
    const error = faqError(() => parseFaqFile('faq.csv', 'faq_id,question,answer\nA,"Unclosed,answer\n', 'csv'));
    expect(error.code).toBe('INVALID_FAQ');
    expect(error.message).toMatch(/^faq\.csv line \d+: .*enclosed in double quotes/);
  });

  it('summarises many problems and keeps all of them in `problems`', () => {
    const rows = Array.from({ length: 8 }, (_, i) => `F${i},,A.`).join('\n');
    const error = faqError(() => parseFaqFile('faq.csv', `faq_id,question,answer\n${rows}\n`, 'csv'));
    expect(error.problems).toHaveLength(8);
    expect(error.message).toMatch(/; and 3 more problem\(s\)$/);
  });

  it('calls a file with only a header empty', () => {
    expect(faqError(() => parseFaqFile('faq.csv', 'faq_id,question,answer\n', 'csv')).code).toBe('EMPTY');
  });
});

describe('parseFaqFile, JSON', () => {
  it('reads an array with either field spelling', () => {
    const json = JSON.stringify([
      {
        faq_id: 'J-1',
        question: 'Where is my order?',
        alt_questions: ['Track order'],
        answer: 'See Orders.',
        approved: true,
        tags: ['orders'],
      },
      {
        id: 7,
        question: '怎么修改地址？',
        alternatives: '改地址|更改收货地址',
        answer: '发货前可在订单页修改。',
        approved: 'no',
        tags: 'orders|地址',
      },
    ]);
    expect(parseFaqFile('faq.json', json, 'json')).toEqual([
      {
        faqId: 'J-1',
        question: 'Where is my order?',
        altQuestions: ['Track order'],
        answer: 'See Orders.',
        approved: true,
        tags: ['orders'],
      },
      {
        faqId: '7',
        question: '怎么修改地址？',
        altQuestions: ['改地址', '更改收货地址'],
        answer: '发货前可在订单页修改。',
        approved: false,
        tags: ['orders', '地址'],
      },
    ]);
  });

  it('reads { faqs: [...] }', () => {
    const json = '{"faqs":[{"faq_id":"A","question":"Q?","answer":"A."}]}';
    expect(parseFaqFile('faq.json', json, 'json')).toHaveLength(1);
  });

  it('applies the same checks, naming entries', () => {
    const json = JSON.stringify([
      { faq_id: 'A', question: 'Q?', answer: '' },
      { faq_id: 'A', question: 42, answer: 'A.' },
      'not an object',
      { question: 'Q?', answer: 'A.', tags: [1] },
    ]);
    expect(faqError(() => parseFaqFile('faq.json', json, 'json')).problems).toEqual([
      'faq.json entry 1: answer is empty',
      'faq.json entries 1 and 2: faq_id "A" is used twice; every FAQ needs its own id',
      'faq.json entry 2: question must be text',
      'faq.json entry 2: question is empty',
      'faq.json entry 3: must be an object with faq_id, question and answer',
      'faq.json entry 4: faq_id is empty',
      'faq.json entry 4: tags must be text separated by "|" or a list of texts',
    ]);
  });

  it('refuses invalid JSON and the wrong shape', () => {
    expect(faqError(() => parseFaqFile('faq.json', '[{"faq_id": "A",]', 'json')).message).toMatch(/^faq\.json is not valid JSON: /);
    expect(faqError(() => parseFaqFile('faq.json', '{"items": []}', 'json')).message).toBe(
      'faq.json must contain an array of FAQ objects, or an object with a "faqs" array',
    );
    expect(faqError(() => parseFaqFile('faq.json', '[]', 'json')).code).toBe('EMPTY');
  });
});
