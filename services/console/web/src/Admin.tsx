// The admin screens (#/admin/users, api-keys, webhooks, audit): one per route, for admins only
// (App.tsx routes here by role; the gateway refuses anyone else whatever the console shows).
import { AdminApiKeys } from './AdminApiKeys';
import { AdminAudit } from './AdminAudit';
import { AdminUsers } from './AdminUsers';
import { AdminWebhooks } from './AdminWebhooks';

export function Admin({ route }: { route: string }) {
  if (route === '/admin/api-keys') return <AdminApiKeys />;
  if (route === '/admin/webhooks') return <AdminWebhooks />;
  if (route === '/admin/audit') return <AdminAudit />;
  return <AdminUsers />;
}
