// Which departments' tickets a desk user reaches: the one rule behind the agents' API and @mentions.
import type { Principal, Role } from '../auth/roles';
import { GatewayError } from '../gateway.errors';

/**
 * The departments whose tickets the agent reaches; undefined means every department. A supervisor
 * without departments reaches none: an empty list must never travel as "no filter".
 */
export function scopeOf(agent: Principal & { role: Role }): string[] | undefined {
  if (agent.role === 'supervisor' && agent.departments.length === 0) {
    throw new GatewayError(
      'PERMISSION_DENIED',
      'a supervisor works only their departments, and none are set: an admin sets them with PATCH /v1/users/:id',
    );
  }
  return agent.departments.length > 0 ? agent.departments : undefined;
}
