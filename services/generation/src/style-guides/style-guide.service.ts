// A tenant's style guide: stored on put, read for every LLM answer. Each replica caches a tenant's
// guide for STYLE_GUIDE_CACHE_MS; a put refreshes the cache of the replica that handled it at once,
// and other replicas see the change when their copy expires. That bound is the honest promise for
// several replicas without an invalidation channel between them.
import { Inject, Injectable } from '@nestjs/common';
import { create, StyleGuideSchema, type PutStyleGuideRequest, type StyleGuide } from '@switchboard/contracts';
import { CONFIG } from '@switchboard/platform';
import type { GenerationConfig } from '../config';
import { StyleGuideRepository } from './style-guide.repository';

@Injectable()
export class StyleGuideService {
  private readonly cache = new Map<string, { guide: StyleGuide; expiresAt: number }>();

  constructor(
    private readonly repository: StyleGuideRepository,
    @Inject(CONFIG) private readonly config: GenerationConfig,
  ) {}

  /** The tenant's guide; one with empty fields when the tenant has none. */
  async get(tenantId: string): Promise<StyleGuide> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return cached.guide;
    const guide = (await this.repository.find(tenantId)) ?? create(StyleGuideSchema, { tenantId });
    this.remember(guide);
    return guide;
  }

  async put(request: PutStyleGuideRequest): Promise<StyleGuide> {
    const given = request.styleGuide ?? create(StyleGuideSchema);
    const items = (list: string[]) => list.map((item) => item.trim()).filter((item) => item !== '');
    const guide = await this.repository.save(
      create(StyleGuideSchema, {
        tenantId: request.tenantId,
        tone: given.tone.trim(),
        rules: items(given.rules),
        forbiddenPromises: items(given.forbiddenPromises),
        signOff: given.signOff.trim(),
      }),
    );
    this.remember(guide);
    return guide;
  }

  private remember(guide: StyleGuide): void {
    this.cache.set(guide.tenantId, { guide, expiresAt: Date.now() + this.config.STYLE_GUIDE_CACHE_MS });
  }
}
