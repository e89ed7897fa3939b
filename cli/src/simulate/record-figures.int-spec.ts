// `switchboard simulate --record` on a real Postgres: the figures it keeps are the ones the
// conversation service's autonomy check reads, and they stop counting once the tenant's intent
// examples change (until the simulator measures again), or the order flows the service runs do.
import type { DataSource } from 'typeorm';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, quietLogger, uniqueName } from '@switchboard/testing';
// The CLI may use services (cli -> services -> libs); the conversation service's repositories and
// migrations, which read what --record writes, are not exported by its package entry.
/* eslint-disable @nx/enforce-module-boundaries */
import { AutonomyRepository } from '../../../services/conversation/src/autonomy/autonomy.repository';
import { AutonomyService } from '../../../services/conversation/src/autonomy/autonomy.service';
import { loadConversationConfig } from '../../../services/conversation/src/config';
import { IntentExamplesRepository } from '../../../services/conversation/src/intents/intent-examples.repository';
import { Conversations1732500000000 } from '../../../services/conversation/src/migrations/1732500000000-conversations';
import { IntentExamples1764000000000 } from '../../../services/conversation/src/migrations/1764000000000-intent-examples';
import { FLOWS_REVISION } from '../../../services/conversation/src/autonomy/flows-revision';
import { Autonomy1790000000000 } from '../../../services/conversation/src/migrations/1790000000000-autonomy';
import { FlowsRevision1790000000002 } from '../../../services/conversation/src/migrations/1790000000002-flows-revision';
import { Knowledge1732500000000 } from '../../../services/retrieval/src/migrations/1732500000000-knowledge';
import { recordFigures } from './record-figures';

const TENANT = uniqueName('acme');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: DataSource;
let retrieval: DataSource;
let autonomy: AutonomyService;
let intents: IntentExamplesRepository;

beforeAll(async () => {
  database = await createTestDatabase();
  db = await openDatabase(
    {
      url: database.url,
      schema: 'conversation',
      entities: [],
      migrations: [Conversations1732500000000, IntentExamples1764000000000, Autonomy1790000000000, FlowsRevision1790000000002],
    },
    quietLogger(),
  );
  retrieval = await openDatabase(
    { url: database.url, schema: 'retrieval', entities: [], migrations: [Knowledge1732500000000] },
    quietLogger(),
  );
  const config = loadConversationConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
  intents = new IntentExamplesRepository(db);
  autonomy = new AutonomyService(new AutonomyRepository(db, config), intents);
  await autonomy.onApplicationBootstrap(); // as the running service notes its flows
});

afterAll(async () => {
  await db?.destroy();
  await retrieval?.destroy();
  await database?.drop();
});

const figures = (cancel: number, ret: number) => [
  { intent: 'cancel_order', tasks: 3, trials: 9, passAt1: 1, passAtK: cancel },
  { intent: 'return_item', tasks: 4, trials: 12, passAt1: 0.9, passAtK: ret },
  { intent: 'all', tasks: 7, trials: 21, passAt1: 0.95, passAtK: 0.8 },
];

it('records pass^k per intent against the current intent examples and knowledge base; a change of either makes them not measured', async () => {
  const revision = await intents.replace(TENANT, [{ text: 'cancel my order', label: 'cancel_order' }]);
  await autonomy.putBars(TENANT, [
    { intent: 'cancel_order', passK: 0.9 },
    { intent: 'return_item', passK: 0.9 },
  ]);
  // What the retrieval service answers for the tenant's knowledge revision (asked only when there are figures).
  let knowledge = 0;
  const check = autonomy.checkFor(TENANT, () => Promise.resolve(knowledge));
  // Nothing measured yet: below any bar.
  expect(await check('cancel_order')).toEqual({ act: false, why: 'cancel_order needs pass^k 0.90; it has not been measured' });

  // The tenant's knowledge base has changed twice (the retrieval service's counter).
  await retrieval.query('insert into retrieval.tenant_revisions (tenant_id, revision) values ($1, 2)', [TENANT]);
  knowledge = 2;
  const recorded = await recordFigures(database.url, TENANT, 3, figures(1, 0.75));
  expect(recorded).toEqual([
    { intent: 'cancel_order', intentsRevision: revision, knowledgeRevision: 2, flowsRevision: FLOWS_REVISION },
    { intent: 'return_item', intentsRevision: revision, knowledgeRevision: 2, flowsRevision: FLOWS_REVISION },
  ]);
  expect(await check('cancel_order')).toEqual({ act: true });
  expect(await check('return_item')).toEqual({ act: false, why: 'return_item needs pass^k 0.90; measured 0.75 over 4 tasks (k=3)' });
  // No bar, no figures needed.
  expect(await check('exchange_item')).toEqual({ act: true });

  const next = await intents.replace(TENANT, [{ text: 'please cancel it', label: 'cancel_order' }]);
  expect(await check('cancel_order')).toMatchObject({ act: false, why: expect.stringContaining(`intent examples' revision ${next}`) });

  // Measured again: current once more, and the newer figures replace the old.
  await recordFigures(database.url, TENANT, 3, figures(0.95, 0.95));
  expect(await check('cancel_order')).toEqual({ act: true });
  expect(await check('return_item')).toEqual({ act: true });

  // A document ingested since (the retrieval service's revision moved): not measured again.
  knowledge = 3;
  expect(await check('cancel_order')).toMatchObject({ act: false, why: expect.stringContaining("knowledge base's revision 3") });

  // Measured again, but while a deployment with other flows had started last (say, the next
  // version): this process's flows were not what was measured.
  await db.query("insert into conversation.flows_revisions (revision, started_at) values ($1, now() + interval '1 second')", [
    'next-flows',
  ]);
  await recordFigures(database.url, TENANT, 3, figures(1, 1));
  expect(await check('cancel_order')).toMatchObject({
    act: false,
    why: expect.stringContaining(`were measured on other order flows (revision next-flows; this service runs ${FLOWS_REVISION})`),
  });
});
