// A stored record with every field filled, for unit specs that care about a few of them.
import type { StoredRecord } from './vector-store';

export function storedRecord(overrides: Partial<StoredRecord> & Pick<StoredRecord, 'id'>): StoredRecord {
  return {
    tenantId: 't',
    knowledgeBaseId: 'kb',
    documentId: `d-${overrides.id}`,
    documentVersion: 1,
    position: 0,
    text: overrides.id,
    title: overrides.id,
    keywords: '',
    language: 'en',
    accessLevel: 0,
    tags: [],
    product: '',
    validFrom: 0,
    validTo: 0,
    faqId: '',
    contentHash: '',
    ...overrides,
  };
}
