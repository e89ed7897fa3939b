// The KPI question → query step through the real `openai` SDK against the wire-protocol test
// server: the model sees the question, today and the zone, and may only call the one tool whose
// parameters are the schema analytics sent; what it writes comes back unchecked (analytics checks).
import { Writable } from 'node:stream';
import { create, FillKpiQueryRequestSchema } from '@switchboard/contracts';
import { createLogger } from '@switchboard/logging';
import type { KafkaBus } from '@switchboard/messaging';
import { startOpenAiWireServer, systemText, lastUserText, wire, type OpenAiWireServer } from '@switchboard/testing';
import { loadGenerationConfig } from '../config';
import { GuardedLlm } from '../llm/guarded-llm';
import { LlmClient } from '../llm/llm.client';
import { KPI_QUERY_TOOL, KpiQueryFillerService } from './kpi-query-filler.service';

let server: OpenAiWireServer;
beforeAll(async () => (server = await startOpenAiWireServer()));
afterAll(() => server.close());
beforeEach(() => server.reset());

const SCHEMA = { type: 'object', properties: { metric: { enum: ['csat', 'transfer_rate'] } }, required: ['metric'] };
const request = create(FillKpiQueryRequestSchema, {
  tenantId: 'acme',
  question: '上个月各渠道的满意度是多少？',
  today: '2026-12-06',
  timeZone: 'Asia/Shanghai',
  querySchemaJson: JSON.stringify(SCHEMA),
});
const quiet = createLogger('generation', 'error', new Writable({ write: (_c, _e, done) => done() }));
const guarded: GuardedLlm[] = [];
afterEach(() => guarded.splice(0).forEach((g) => g.onModuleDestroy()));

function filler(env: Record<string, string> = {}): KpiQueryFillerService {
  const config = loadGenerationConfig({ NODE_ENV: 'test', LLM_TIMEOUT_MS: '2000', LLM_RETRIES: '0', ...env });
  const llm = new GuardedLlm(new LlmClient(config), config, quiet);
  guarded.push(llm);
  return new KpiQueryFillerService(llm, {} as KafkaBus, config, quiet);
}

describe('KpiQueryFillerService', () => {
  it('asks the model with the query schema as its only tool and returns the arguments it wrote', async () => {
    const query = { metric: 'csat', group_by: ['channel'], from: '2026-11-01', to: '2026-12-01', grain: null };
    server.enqueue(wire.toolCalls([{ name: KPI_QUERY_TOOL, arguments: query }]));
    const result = await filler({ LLM_BASE_URL: server.baseUrl }).fill(request);
    expect(result).toMatchObject({ mode: 'llm' });
    expect(JSON.parse(result.queryJson)).toEqual(query);
    const sent = server.chatRequests[0];
    expect(sent.body?.tools).toEqual([
      { type: 'function', function: { name: KPI_QUERY_TOOL, description: expect.any(String), parameters: SCHEMA } },
    ]);
    expect(systemText(sent)).toContain('Today is 2026-12-06 in the time zone Asia/Shanghai');
    expect(lastUserText(sent)).toBe('上个月各渠道的满意度是多少？');
  });

  it('returns no query when the model answers in words instead, and mode "none" without an LLM', async () => {
    server.enqueue(wire.text('I cannot map revenue to these KPIs.'));
    expect(await filler({ LLM_BASE_URL: server.baseUrl }).fill(request)).toMatchObject({ mode: 'llm', queryJson: '' });
    expect(await filler().fill(request)).toMatchObject({ mode: 'none', queryJson: '' });
    expect(server.chatRequests).toHaveLength(1);
  });

  it('falls back (mode "none") when the model fails', async () => {
    server.enqueue(wire.error(500));
    expect(await filler({ LLM_BASE_URL: server.baseUrl }).fill(request)).toMatchObject({ mode: 'none', queryJson: '' });
  });
});
