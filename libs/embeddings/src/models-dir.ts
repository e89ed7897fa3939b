import path from 'node:path';

/**
 * Where local models live: $SWITCHBOARD_MODELS_DIR, or <repo>/.local/models (git-ignored), which
 * scripts/fetch-models.sh fills. This file sits at libs/embeddings/{src,dist}/, three levels below
 * the repo root.
 */
export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.SWITCHBOARD_MODELS_DIR?.trim();
  return configured ? path.resolve(configured) : path.resolve(__dirname, '..', '..', '..', '.local', 'models');
}
