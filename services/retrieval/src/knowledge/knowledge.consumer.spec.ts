import { Rpcs } from '@switchboard/contracts';
import { serveRpc, type KafkaBus } from '@switchboard/messaging';
import type { Logger } from '@switchboard/logging';
import type { RetrievalConfig } from '../config';
import { KnowledgeConsumer } from './knowledge.consumer';
import type { KnowledgeService } from './knowledge.service';

jest.mock('@switchboard/messaging', () => ({ ...jest.requireActual('@switchboard/messaging'), serveRpc: jest.fn(async () => undefined) }));

async function servedBy(reader: boolean): Promise<string[]> {
  const serve = jest.mocked(serveRpc);
  serve.mockClear();
  const consumer = new KnowledgeConsumer(
    {} as KafkaBus,
    {} as KnowledgeService,
    {} as Logger,
    { VECTOR_READER: reader } as RetrievalConfig,
  );
  await consumer.onApplicationBootstrap();
  return serve.mock.calls.map(([, rpc]) => rpc.name);
}

describe('KnowledgeConsumer', () => {
  it('serves searches and every knowledge-base operation in the writer', async () => {
    expect(await servedBy(false)).toEqual([
      Rpcs.retrievalSearch.name,
      Rpcs.kbIngest.name,
      Rpcs.kbCreate.name,
      Rpcs.kbList.name,
      Rpcs.kbDocuments.name,
      Rpcs.kbChunks.name,
      Rpcs.kbApproveAnswer.name,
      Rpcs.kbDeleteDocument.name,
    ]);
  });

  it('serves only searches in a reader (VECTOR_READER), so no write can reach it', async () => {
    expect(await servedBy(true)).toEqual([Rpcs.retrievalSearch.name]);
  });
});
