// Who may do what. Users sign in with a password and hold one role; channel adapters and scripts
// use API keys with scopes. The services check these on every call, whatever a UI shows.
export const ROLES = ['agent', 'senior_agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work tickets and conversations on the agents' desk. */
export const DESK_ROLES: readonly Role[] = ['agent', 'senior_agent', 'supervisor'];

/** Whether `role` may see a verified customer's contact and payment details unmasked. */
export function seesVerifiedContactDetails(role: Role): boolean {
  return role === 'senior_agent' || role === 'supervisor';
}

/** Whether `role` may move (unassign, resolve, close) a ticket another agent holds. */
export function movesOthersTickets(role: Role): boolean {
  return role === 'senior_agent' || role === 'supervisor';
}

/**
 * Who is calling: an API key (channel adapter, script) or a signed-in user. `actor` is what the
 * audit log records; `departments` limits a user's tickets (empty: every department), except a
 * supervisor's, which are always exactly their departments.
 */
export interface Principal {
  tenantId: string;
  actor: { kind: 'api_key' | 'user'; id: string };
  role?: Role;
  departments: string[];
}
