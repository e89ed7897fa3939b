// The word-for-word floor fitted on an FAQ's own phrasings, end to end through the real pieces:
// the English ensemble (two local ONNX models), an embedded LanceDB store and the hybrid
// searcher. The software FAQ of eval/unseen has 21 alternative phrasings to calibrate on.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadLocalEmbedder, type Embedder } from '@switchboard/embeddings';
import { calibrateFloor, phrasingPairs } from './confidence-calibration';
import { parseDocument } from './documents';
import { collectionFor, KnowledgeIndexer } from './knowledge-indexer';
import { KnowledgeSearcher } from './knowledge-searcher';
import { unitsOf } from './knowledge-units';
import { similarityFloors } from './models';
import { LanceDbVectorStore } from './vectors';

const root = path.resolve(__dirname, '../../..');
const ENSEMBLE = 'all-minilm-l6-v2+bge-small-en-v1.5';
const filter = { tenantId: 'calibration', knowledgeBaseIds: [], maxAccessLevel: 0, at: 0 };

describe("word-for-word floor calibrated on the FAQ's phrasings", () => {
  let dir: string;
  let store: LanceDbVectorStore;
  let embedder: Embedder;
  let searcher: KnowledgeSearcher;
  let units: ReturnType<typeof unitsOf>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-calibration-'));
    store = await LanceDbVectorStore.open(dir);
    const model = ENSEMBLE;
    embedder = await loadLocalEmbedder(model);
    const doc = await parseDocument({
      fileName: 'software-faq-en.csv',
      contentType: 'text/csv',
      data: await readFile(path.join(root, 'eval/unseen/software-faq-en.csv')),
    });
    units = unitsOf('faq', doc);
    await new KnowledgeIndexer(store, embedder).index(
      {
        tenantId: filter.tenantId,
        knowledgeBaseId: 'faq',
        documentId: 'faq',
        version: 1,
        language: 'en',
        accessLevel: 0,
        tags: [],
        product: '',
        validFrom: 0,
        validTo: 0,
      },
      units,
    );
    searcher = new KnowledgeSearcher(store, embedder, collectionFor(model));
  }, 240_000);

  afterAll(async () => {
    await store?.close();
    await embedder?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('searches every alternative phrasing without itself and fits a floor that keeps 95% of confident answers right', async () => {
    const pairs = await phrasingPairs(searcher, units, filter, 'faq');
    expect(pairs).toHaveLength(21);
    const floors = similarityFloors(ENSEMBLE);
    const calibration = calibrateFloor(pairs, floors.standardAnswer, floors.relevant);
    expect(calibration.source).toBe('phrasings');
    expect(calibration.precision).toBeGreaterThanOrEqual(0.95);
    expect(calibration.floor).toBeGreaterThanOrEqual(floors.relevant);
    // This FAQ's phrasings are further from each other than the model's fixed floor assumes.
    expect(calibration.floor).toBeLessThan(floors.standardAnswer);
  }, 120_000);

  it('answers word for word at the calibrated floor where the model floor would not', async () => {
    const approvedAnswer = () => ({ question: 'q', answer: 'a' });
    const query = 'we want to stop paying';
    const atModelFloor = await searcher.search(query, { mode: 'hybrid', limit: 5, filter, approvedAnswer });
    expect(atModelFloor.hits[0].record.faqId).toBe('cancel-subscription');
    expect(atModelFloor.standardAnswer).toBeUndefined();
    const top = atModelFloor.top!;
    const calibrated = await searcher.search(query, {
      mode: 'hybrid',
      limit: 5,
      filter,
      approvedAnswer,
      standardAnswerFloor: () => top.similarity - 0.01,
    });
    expect(calibrated.standardAnswer).toMatchObject({ faqId: 'cancel-subscription', answer: 'a' });
  }, 60_000);
});
