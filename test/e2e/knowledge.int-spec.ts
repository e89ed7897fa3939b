// A support lead fills the demo shop's knowledge bases through the admin REST API (Markdown
// policy, a Chinese FAQ with approved answers, a PDF), reads a document's chunks, approves an FAQ
// answer and withdraws it, and customers get cited answers through gRPC Converse — paraphrased,
// misspelled and in Chinese. Another tenant never sees any of it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { ChatEvent, CustomerMessage } from '../../cli/src/chat/chat.client';
import { ChatClient } from '../../cli/src/chat/chat.client';
import { sharedDataDir } from '../../cli/src/paths';
import { startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

const ZH_FAQ = [
  'faq_id,question,alt_questions,answer,approved',
  'return-7day,七天无理由退货怎么申请？,怎么退货|我想退货,"签收后7天内，在""我的订单""中选择该商品，点击""申请退货""，填写原因后提交即可。",yes',
  'change-address,订单发货前可以修改收货地址吗？,改地址,订单在发货前可以在订单详情页修改收货地址，发货后无法修改。,yes',
  'invoice,怎么开发票？,,在订单详情页点击“申请发票”，填写抬头和税号，电子发票会在24小时内发到您的邮箱。,no',
].join('\n');

async function pdfWarranty(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Warranty terms');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage();
  const lines = [
    'Warranty terms',
    '',
    'Every electronic device sold by the shop carries a two-year limited warranty.',
    'The warranty covers manufacturing defects, battery failures and dead pixels.',
    'Accidental damage, water damage and normal wear are not covered.',
    'To claim the warranty, email support with the order number and a photo of the defect.',
  ];
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 20, size: 12, font }));
  return pdf.save();
}

function form(fileName: string, content: string | Uint8Array, type: string, fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  data.append('file', new Blob([content], { type }), fileName);
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

const ask = (text: string, extra: Partial<CustomerMessage> = {}): CustomerMessage => ({
  clientMessageId: randomUUID(),
  customerId: `kb-customer-${RUN}`,
  channel: 'web',
  text,
  ...extra,
});

async function converse(client: ChatClient, text: string): Promise<NonNullable<ChatEvent['reply']>> {
  const events: ChatEvent[] = [];
  for await (const e of client.converse(ask(text))) events.push(e);
  const reply = events.find((e) => e.kind === 'reply')?.reply;
  if (!reply) throw new Error(`no reply to "${text}": ${JSON.stringify(events)}`);
  return reply;
}

describe('knowledge bases through the public APIs', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack();
    const key = t.apiKey;
    expect(
      (await t.rest('POST', '/v1/knowledge-bases', { key, json: { id: 'policies', name: 'Shop policies', language: 'en' } })).status,
    ).toBe(201);
    const wiki = readFileSync(path.join(sharedDataDir, 'tau-retail', 'wiki.md'), 'utf8');
    const ingested = await t.rest('POST', '/v1/knowledge-bases/policies/documents', {
      key,
      form: form('wiki.md', wiki, 'text/markdown', { documentId: 'retail-policy' }),
    });
    expect(ingested.status).toBe(201);
    expect(ingested.body).toMatchObject({ documentId: 'retail-policy', version: 1, unchanged: false });
    const faq = await t.rest('POST', '/v1/knowledge-bases/faq-zh/documents', { key, form: form('faq-zh.csv', ZH_FAQ, 'text/csv') });
    expect(faq.status).toBe(201);
    const pdf = await t.rest('POST', '/v1/knowledge-bases/policies/documents', {
      key,
      form: form('warranty.pdf', await pdfWarranty(), 'application/pdf'),
    });
    expect(pdf.status).toBe(201);
  }, 240_000);

  afterAll(async () => t?.close());

  it("lists the knowledge bases and each document's status", async () => {
    const kbs = await t.rest('GET', '/v1/knowledge-bases', { key: t.apiKey });
    expect(kbs.body.knowledgeBases.map((kb: { id: string; embeddingModel: string }) => [kb.id, kb.embeddingModel])).toEqual([
      ['faq-zh', 'bge-small-zh-v1.5'],
      ['policies', 'all-minilm-l6-v2'],
    ]);
    const doc = await t.rest('GET', '/v1/knowledge-bases/policies/documents/warranty.pdf', { key: t.apiKey });
    expect(doc.body).toMatchObject({ documentId: 'warranty.pdf', kind: 'pdf', status: 'ready', title: 'Warranty terms', version: 1 });
    expect(doc.body.chunks).toBeGreaterThan(0);
  });

  it("shows a document's live chunks a page at a time, FAQ entries with their approval", async () => {
    const chunks = (kb: string, doc: string, query = '') =>
      t.rest('GET', `/v1/knowledge-bases/${kb}/documents/${doc}/chunks${query}`, { key: t.apiKey });
    const policy = await chunks('policies', 'retail-policy');
    expect(policy.status).toBe(200);
    const total = policy.body.total as number;
    expect(total).toBeGreaterThan(3);
    expect(policy.body.version).toBe(1);
    expect(policy.body.chunks).toHaveLength(Math.min(total, 50));
    // Pages follow each other in position order, without gaps or repeats.
    const first = await chunks('policies', 'retail-policy', '?offset=0&limit=2');
    const second = await chunks('policies', 'retail-policy', '?offset=2&limit=2');
    expect([...first.body.chunks, ...second.body.chunks]).toEqual(policy.body.chunks.slice(0, 4));
    expect(first.body.chunks[0].position).toBeLessThan(second.body.chunks[0].position);
    expect(policy.body.chunks.map((c: { text: string }) => c.text).join('\n')).toMatch(/cancel/i);
    // An FAQ entry: one chunk per phrasing and one for the answer, all showing the answer.
    const faq = (await chunks('faq-zh', 'faq-zh.csv')).body.chunks as Array<Record<string, unknown>>;
    const returns = faq.filter((c) => c.faqId === 'return-7day');
    expect(returns.map((c) => c.indexedText)).toEqual(expect.arrayContaining(['七天无理由退货怎么申请？', '怎么退货', '我想退货']));
    expect(returns.every((c) => c.faqApproved === true && String(c.text).startsWith('签收后7天内'))).toBe(true);
    expect(faq.filter((c) => c.faqId === 'invoice').every((c) => c.faqApproved === false)).toBe(true);
    expect((await chunks('policies', 'retail-policy', '?limit=500')).body.error.message).toBe('limit must be a whole number from 1 to 200');
    expect((await chunks('policies', 'no-such-doc')).status).toBe(404);
  });

  it('answers paraphrased and misspelled questions with cited passages', async () => {
    const paraphrased = await converse(t.chat, 'I got my package but want to send some of the things back, how does that work?');
    expect(paraphrased.grounded).toBe(true);
    expect(paraphrased.sources.map((s) => s.title).join(' | ')).toMatch(/Return delivered order/);
    const misspelled = await converse(t.chat, 'how do i cancle my pending ordr');
    expect(misspelled.grounded).toBe(true);
    expect(misspelled.sources[0].title).toMatch(/Cancel pending order/);
    const fromPdf = await converse(t.chat, 'is water damage covered by the warranty?');
    expect(fromPdf.sources[0].documentId).toBe('warranty.pdf');
    expect(fromPdf.text).toMatch(/water damage/i);
  });

  it('never shows customers a passage above their access level; an admin can search it', async () => {
    const internal =
      '# Courier escalation codes\n\nStaff only: when a courier loses a parcel, escalate with code PEREGRINE-77 to the logistics desk.';
    const ingested = await t.rest('POST', '/v1/knowledge-bases/policies/documents', {
      key: t.apiKey,
      form: form('escalation.md', internal, 'text/markdown', { accessLevel: '50' }),
    });
    expect(ingested.status).toBe(201);
    const search = (accessLevel?: number) =>
      t.rest('POST', '/v1/search', {
        key: t.apiKey,
        json: { query: 'courier lost parcel escalation code', ...(accessLevel !== undefined && { accessLevel }) },
      });
    const asStaff = await search(50);
    expect(asStaff.body.passages.map((p: { documentId: string }) => p.documentId)).toContain('escalation.md');
    const asCustomer = await search();
    expect(asCustomer.status).toBe(200);
    expect(asCustomer.body.passages.map((p: { documentId: string }) => p.documentId)).not.toContain('escalation.md');
    const reply = await converse(t.chat, 'the courier lost my parcel, what is the escalation code?');
    expect(reply.text).not.toContain('PEREGRINE');
    expect(reply.sources.map((source) => source.documentId)).not.toContain('escalation.md');
    expect((await search(101)).body.error.message).toBe('accessLevel must be an integer from 0 to 100');
    expect((await t.rest('DELETE', '/v1/knowledge-bases/policies/documents/escalation.md', { key: t.apiKey })).status).toBe(200);
  });

  it('gives an approved FAQ answer word for word, and says which entry', async () => {
    const reply = await converse(t.chat, '我买的东西想退货，怎么弄？');
    expect(reply.mode).toBe('standard_answer');
    // Asked about an action the bot can take, it offers it after the answer, in a paragraph of its own.
    expect(reply.text).toBe(
      '签收后7天内，在"我的订单"中选择该商品，点击"申请退货"，填写原因后提交即可。\n\n如需要，我可以直接为您退货，回复"是"即可。',
    );
    expect(reply.sources[0]).toMatchObject({ passageId: 'faq:return-7day', title: '七天无理由退货怎么申请？' });
  });

  it('quotes an FAQ entry that is not approved instead of using it as is', async () => {
    const reply = await converse(t.chat, '我要开发票怎么操作');
    expect(reply.mode).toBe('extractive');
    expect(reply.text).toContain('电子发票');
  });

  it("approves an FAQ entry's answer so it is given word for word, and withdraws the approval", async () => {
    const approval = (faqId: string, body: unknown, key = t.apiKey) =>
      t.rest('PUT', `/v1/knowledge-bases/faq-zh/documents/faq-zh.csv/faqs/${faqId}/approval`, { key, json: body });
    const standardAnswer = async () =>
      (await t.rest('POST', '/v1/search', { key: t.apiKey, json: { query: '怎么开发票？', knowledgeBaseIds: ['faq-zh'] } })).body
        .standardAnswer;
    const invoiceChunks = async () =>
      (
        (await t.rest('GET', '/v1/knowledge-bases/faq-zh/documents/faq-zh.csv/chunks', { key: t.apiKey })).body.chunks as Array<{
          faqId: string;
          faqApproved: boolean;
        }>
      ).filter((c) => c.faqId === 'invoice');
    expect(await standardAnswer()).toBeFalsy();
    const approved = await approval('invoice', { approved: true });
    expect([approved.status, approved.body]).toEqual([200, { faqId: 'invoice', approved: true, version: 1 }]);
    expect(await standardAnswer()).toMatchObject({ faqId: 'invoice', answer: expect.stringContaining('电子发票') });
    expect((await invoiceChunks()).every((c) => c.faqApproved)).toBe(true);
    const reply = await converse(t.chat, '怎么开发票？');
    expect(reply.mode).toBe('standard_answer');
    expect(reply.text).toBe('在订单详情页点击“申请发票”，填写抬头和税号，电子发票会在24小时内发到您的邮箱。');
    expect((await approval('invoice', { approved: false })).body).toMatchObject({ approved: false });
    expect(await standardAnswer()).toBeFalsy();
    expect((await invoiceChunks()).some((c) => c.faqApproved)).toBe(false);
    // Named errors; another tenant reaches nothing.
    const bad = await approval('invoice', { approved: 'yes' });
    expect([bad.status, bad.body.error.message]).toEqual([400, 'approved is required: true or false']);
    expect((await approval('no-such-entry', { approved: true })).status).toBe(404);
    const other = await t.createTenant(`approver-${randomUUID().slice(0, 8)}`);
    expect((await approval('invoice', { approved: true }, other)).status).toBe(404);
    expect(await standardAnswer()).toBeFalsy();
  });

  it('re-ingests a changed document: only changed chunks are embedded and old text disappears', async () => {
    const wiki = readFileSync(path.join(sharedDataDir, 'tau-retail', 'wiki.md'), 'utf8');
    const changed = `${wiki}\n\n## Loyalty points\n\nMembers earn one loyalty point per dollar, redeemable at checkout.\n`;
    const result = await t.rest('POST', '/v1/knowledge-bases/policies/documents', {
      key: t.apiKey,
      form: form('wiki.md', changed, 'text/markdown', { documentId: 'retail-policy' }),
    });
    expect(result.body).toMatchObject({ version: 2, unchanged: false });
    expect(result.body.embedded).toBeGreaterThan(0);
    expect(result.body.embedded).toBeLessThan(result.body.chunks);
    const again = await t.rest('POST', '/v1/knowledge-bases/policies/documents', {
      key: t.apiKey,
      form: form('wiki.md', changed, 'text/markdown', { documentId: 'retail-policy' }),
    });
    expect(again.body).toMatchObject({ version: 2, unchanged: true });
    const search = await t.rest('POST', '/v1/search', { key: t.apiKey, json: { query: 'loyalty points per dollar', limit: 3 } });
    expect(search.body.passages[0].text).toMatch(/loyalty point/);
  });

  it('deletes a document so it is no longer found', async () => {
    expect((await t.rest('DELETE', '/v1/knowledge-bases/policies/documents/warranty.pdf', { key: t.apiKey })).status).toBe(200);
    const search = await t.rest('POST', '/v1/search', { key: t.apiKey, json: { query: 'warranty water damage', limit: 5 } });
    expect(search.body.passages.every((p: { documentId: string }) => p.documentId !== 'warranty.pdf')).toBe(true);
    expect((await t.rest('DELETE', '/v1/knowledge-bases/policies/documents/warranty.pdf', { key: t.apiKey })).status).toBe(404);
  });

  it('never lets another tenant see or change these knowledge bases', async () => {
    const other = await t.createTenant(`rival-${randomUUID().slice(0, 8)}`);
    const search = await t.rest('POST', '/v1/search', { key: other, json: { query: 'cancel pending order', limit: 5 } });
    expect(search.status).toBe(200);
    expect(search.body.passages).toEqual([]);
    expect((await t.rest('GET', '/v1/knowledge-bases', { key: other })).body.knowledgeBases).toEqual([]);
    expect((await t.rest('GET', '/v1/knowledge-bases/policies/documents/retail-policy', { key: other })).status).toBe(404);
    expect((await t.rest('DELETE', '/v1/knowledge-bases/policies/documents/retail-policy', { key: other })).status).toBe(404);
    expect((await t.rest('GET', '/v1/knowledge-bases/policies/documents/retail-policy/chunks', { key: other })).status).toBe(404);
    const rivalChat = new ChatClient(t.stack.grpcAddress, other);
    try {
      const reply = await converse(rivalChat, 'how do I cancel my pending order?');
      expect(reply.grounded).toBe(false);
      expect(reply.sources).toEqual([]);
    } finally {
      rivalChat.close();
    }
    // The demo tenant's document is untouched.
    expect((await t.rest('GET', '/v1/knowledge-bases/policies/documents/retail-policy', { key: t.apiKey })).body.status).toBe('ready');
  });

  it('re-indexes a knowledge base into another embedding model without losing answers', async () => {
    const switched = await t.rest('POST', '/v1/knowledge-bases', {
      key: t.apiKey,
      json: { id: 'policies', embeddingModel: 'bge-small-en-v1.5' },
    });
    expect(switched.status).toBe(201);
    expect(switched.body).toMatchObject({ id: 'policies', embeddingModel: 'bge-small-en-v1.5', dimension: 384 });
    const search = await t.rest('POST', '/v1/search', {
      key: t.apiKey,
      json: { query: 'how do I cancel a pending order', limit: 3, knowledgeBaseIds: ['policies'] },
    });
    expect(search.body.passages[0].title).toMatch(/Cancel pending order/);
  });

  it('says what is wrong with a bad request, and refuses keys without the admin scope', async () => {
    const badKb = await t.rest('POST', '/v1/knowledge-bases', { key: t.apiKey, json: { id: 'Bad KB!' } });
    expect(badKb.status).toBe(400);
    expect(badKb.body.error.message).toBe('id must be 1-64 lowercase letters, digits, _ or -');
    const noFile = await t.rest('POST', '/v1/knowledge-bases/policies/documents', { key: t.apiKey, form: new FormData() });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.message).toMatch(/^file is required/);
    const exe = await t.rest('POST', '/v1/knowledge-bases/policies/documents', {
      key: t.apiKey,
      form: form('tool.exe', 'MZ', 'application/x-msdownload'),
    });
    expect(exe.status).toBe(415);
    // NUL bytes (found by the fuzz: Postgres refused them and the call failed with 502): in a file
    // name or title they are refused naming the field; inside a text file they are dropped.
    const nulTitle = form('nul.md', '# Gift wrapping\n\nEvery order can be gift wrapped for free.', 'text/markdown', {
      title: 'Gift\u0000wrap',
    });
    const refused = await t.rest('POST', '/v1/knowledge-bases/policies/documents', { key: t.apiKey, form: nulTitle });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('title must not contain control characters');
    const nulBody = await t.rest('POST', '/v1/knowledge-bases/policies/documents', {
      key: t.apiKey,
      form: form('nul.txt', 'Gift wrapping\u0000 is free on every order.', 'text/plain'),
    });
    expect(nulBody.status).toBe(201);
    expect((await t.rest('DELETE', '/v1/knowledge-bases/policies/documents/nul.txt', { key: t.apiKey })).status).toBe(200);
    expect((await t.rest('GET', '/v1/knowledge-bases')).status).toBe(401);
    const chatOnly = await t.createTenant(`chat-${randomUUID().slice(0, 8)}`, ['chat']);
    expect((await t.rest('GET', '/v1/knowledge-bases', { key: chatOnly })).status).toBe(403);
  });
});
