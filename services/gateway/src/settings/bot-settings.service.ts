// Turns the bot-settings REST calls (intent examples, moderation policy, style guide) into request-reply calls
// to the services that own them. The API key decides the tenant; a body can never name another.
import { Injectable } from '@nestjs/common';
import {
  AutonomyPolicySchema,
  create,
  fromJson,
  GetAutonomyPolicyRequestSchema,
  GetIntentExamplesRequestSchema,
  GetPolicyRequestSchema,
  GetStyleGuideRequestSchema,
  PutAutonomyPolicyRequestSchema,
  PutIntentExamplesRequestSchema,
  PutPolicyRequestSchema,
  PutStyleGuideRequestSchema,
  Rpcs,
  StyleGuideSchema,
  TenantPolicySchema,
  type DescMessage,
  type MessageShape,
} from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import type { UploadedDocument } from '../knowledge/knowledge-admin.service';
import { jsonBody } from '../http/json-body';

const TIMEOUT_MS = 30_000;

@Injectable()
export class BotSettingsService {
  constructor(
    private readonly rpc: RpcClient,
    readonly audit?: AuditTrail,
  ) {}

  /** The CSV comes as an uploaded file (`file`) or in a JSON body's `csv` field. */
  @Audited('intents.put', 'intent_examples')
  async putIntents(caller: Principal, file: UploadedDocument | undefined, body: Record<string, unknown>) {
    const csv = file ? file.buffer.toString('utf8') : typeof body.csv === 'string' ? body.csv : undefined;
    if (csv === undefined)
      throw GatewayError.invalid([{ field: 'csv', problem: 'is required: upload a CSV file as "file" or send {"csv": "text,label\\n…"}' }]);
    const result = await this.rpc.request(Rpcs.intentsPut, create(PutIntentExamplesRequestSchema, { tenantId: caller.tenantId, csv }), {
      timeoutMs: TIMEOUT_MS,
    });
    return jsonBody(Rpcs.intentsPut.response, result);
  }

  @Audited('intents.read', 'intent_examples')
  async getIntents(caller: Principal) {
    return jsonBody(
      Rpcs.intentsGet.response,
      await this.rpc.request(Rpcs.intentsGet, create(GetIntentExamplesRequestSchema, { tenantId: caller.tenantId }), {
        timeoutMs: TIMEOUT_MS,
      }),
    );
  }

  @Audited('moderation.policy.put', 'moderation_policy')
  async putModerationPolicy(caller: Principal, body: Record<string, unknown>) {
    const policy = parseBody(TenantPolicySchema, 'policy', { ...body, tenantId: caller.tenantId });
    const result = await this.rpc.request(Rpcs.moderationPolicyPut, create(PutPolicyRequestSchema, { tenantId: caller.tenantId, policy }), {
      timeoutMs: TIMEOUT_MS,
    });
    return jsonBody(Rpcs.moderationPolicyPut.response, result);
  }

  @Audited('style_guide.put', 'style_guide')
  async putStyleGuide(caller: Principal, body: Record<string, unknown>) {
    const styleGuide = parseBody(StyleGuideSchema, 'styleGuide', { ...body, tenantId: caller.tenantId, updatedAt: '' });
    const result = await this.rpc.request(
      Rpcs.generationStylePut,
      create(PutStyleGuideRequestSchema, { tenantId: caller.tenantId, styleGuide }),
      { timeoutMs: TIMEOUT_MS },
    );
    return jsonBody(Rpcs.generationStylePut.response, result);
  }

  @Audited('style_guide.read', 'style_guide')
  async getStyleGuide(caller: Principal) {
    return jsonBody(
      Rpcs.generationStyleGet.response,
      await this.rpc.request(Rpcs.generationStyleGet, create(GetStyleGuideRequestSchema, { tenantId: caller.tenantId }), {
        timeoutMs: TIMEOUT_MS,
      }),
    );
  }

  /** The pass^k each order intent needs before the bot acts alone (docs/flows.md, "Autonomy"); replaces them all. */
  @Audited('autonomy.put', 'autonomy_policy')
  async putAutonomy(caller: Principal, body: Record<string, unknown>) {
    const { bars } = parseBody(AutonomyPolicySchema, 'bars', { ...body, tenantId: caller.tenantId });
    const result = await this.rpc.request(Rpcs.autonomyPut, create(PutAutonomyPolicyRequestSchema, { tenantId: caller.tenantId, bars }), {
      timeoutMs: TIMEOUT_MS,
    });
    return jsonBody(Rpcs.autonomyPut.response, result);
  }

  @Audited('autonomy.read', 'autonomy_policy')
  async getAutonomy(caller: Principal) {
    return jsonBody(
      Rpcs.autonomyGet.response,
      await this.rpc.request(Rpcs.autonomyGet, create(GetAutonomyPolicyRequestSchema, { tenantId: caller.tenantId }), {
        timeoutMs: TIMEOUT_MS,
      }),
    );
  }

  @Audited('moderation.policy.read', 'moderation_policy')
  async getModerationPolicy(caller: Principal) {
    return jsonBody(
      Rpcs.moderationPolicyGet.response,
      await this.rpc.request(Rpcs.moderationPolicyGet, create(GetPolicyRequestSchema, { tenantId: caller.tenantId }), {
        timeoutMs: TIMEOUT_MS,
      }),
    );
  }
}

/** A JSON body as a protobuf message; an unknown field or a wrong type is a 400 naming it. */
function parseBody<S extends DescMessage>(schema: S, field: string, body: Record<string, unknown>): MessageShape<S> {
  try {
    return fromJson(schema, body as never);
  } catch (error) {
    throw GatewayError.invalid([{ field, problem: (error as Error).message }]);
  }
}
