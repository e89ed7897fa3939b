// The admin screens (#/admin/users, api-keys, webhooks, intents, moderation, style-guide, team,
// routing, audit): one per route, for admins only (App.tsx routes here by role; the gateway
// refuses anyone else whatever the console shows).
import { AdminApiKeys } from './AdminApiKeys';
import { AdminAudit } from './AdminAudit';
import { AdminIntents } from './AdminIntents';
import { AdminModeration } from './AdminModeration';
import { AdminRouting } from './AdminRouting';
import { AdminStyleGuide } from './AdminStyleGuide';
import { AdminTeam } from './AdminTeam';
import { AdminUsers } from './AdminUsers';
import { AdminWebhooks } from './AdminWebhooks';

export function Admin({ route }: { route: string }) {
  if (route === '/admin/api-keys') return <AdminApiKeys />;
  if (route === '/admin/webhooks') return <AdminWebhooks />;
  if (route === '/admin/intents') return <AdminIntents />;
  if (route === '/admin/moderation') return <AdminModeration />;
  if (route === '/admin/style-guide') return <AdminStyleGuide />;
  if (route === '/admin/team') return <AdminTeam />;
  if (route === '/admin/routing') return <AdminRouting />;
  if (route === '/admin/audit') return <AdminAudit />;
  return <AdminUsers />;
}
