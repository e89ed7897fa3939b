// The shared VectorStore contract against a real Qdrant, which this machine cannot run. With
// QDRANT_URL set (e.g. `docker run -p 6333:6333 qdrant/qdrant` elsewhere) the full contract runs
// against it. Without it this file still tests something real instead of skipping: that the
// factory the service starts from refuses to build a Qdrant store and names the missing variable,
// which is exactly what a deployment without QDRANT_URL will see.
import { QdrantVectorStore } from './qdrant.vector-store';
import { vectorStoreContract } from './vector-store.contract';
import { VectorStoreConfigError } from './vector-store.shared';

if (process.env.QDRANT_URL) {
  vectorStoreContract('qdrant', async () => {
    const store = await QdrantVectorStore.fromEnv(process.env);
    return { store, dropCollection: (collection) => store.dropCollection(collection) };
  });
} else {
  describe('QdrantVectorStore without QDRANT_URL', () => {
    it('refuses to start, naming the missing variable (set QDRANT_URL to run the contract against Qdrant)', async () => {
      const env = { ...process.env, QDRANT_URL: undefined };
      await expect(QdrantVectorStore.fromEnv(env)).rejects.toThrow(VectorStoreConfigError);
      await expect(QdrantVectorStore.fromEnv({ QDRANT_URL: '  ' })).rejects.toThrow(/QDRANT_URL is not set/);
      await expect(QdrantVectorStore.fromEnv({ QDRANT_URL: 'not a url' })).rejects.toThrow(/QDRANT_URL is not a URL/);
    });
  });
}
