// The tenant settings a customer's message is accepted under, stamped on its InboundTurn: one read
// of the tenant's row per message (the identity policy and the survey setting live on it; each
// setting's own service reads it here too, so there is one query for both).
import type { DataSource } from 'typeorm';

export interface TenantTurnSettings {
  requireChannelIdentity: boolean;
  offerSurveyOnResolve: boolean;
}

/** No tenant row: the defaults, both off. */
export async function tenantTurnSettings(db: DataSource, tenantId: string): Promise<TenantTurnSettings> {
  const rows: Array<{ require_channel_identity: boolean; offer_survey_on_resolve: boolean }> = await db.query(
    'select require_channel_identity, offer_survey_on_resolve from gateway.tenants where id = $1',
    [tenantId],
  );
  return {
    requireChannelIdentity: rows[0]?.require_channel_identity === true,
    offerSurveyOnResolve: rows[0]?.offer_survey_on_resolve === true,
  };
}
