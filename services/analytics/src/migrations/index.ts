// The analytics schema's migrations, in order: the service and the benchmark's own database run the same list.
import { AnalyticsFacts1785000000000 } from './1785000000000-analytics-facts';
import { ConversationRollups1787000000000 } from './1787000000000-conversation-rollups';
import { TenantSettings1787000000001 } from './1787000000001-tenant-settings';
import { KpiDays1788000000000 } from './1788000000000-kpi-days';

export const ANALYTICS_MIGRATIONS = [
  AnalyticsFacts1785000000000,
  ConversationRollups1787000000000,
  TenantSettings1787000000001,
  KpiDays1788000000000,
];
