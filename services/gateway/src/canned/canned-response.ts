// What a canned response is and what a request may say about one. The text may hold variables the
// console fills from the conversation before the agent sends it; any other {{…}} is refused, so a
// typo never reaches a customer as "{{frist_name}}".
import type { FieldViolation } from '@switchboard/contracts';
import { GatewayError } from '../gateway.errors';

export const CANNED_VARIABLES = ['first_name', 'order_id'] as const;
export const CANNED_SCOPES = ['tenant', 'personal'] as const;
export type CannedScope = (typeof CANNED_SCOPES)[number];

export const MAX_TITLE = 100;
export const MAX_TEXT = 2000;
const SHORTCUT = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export interface CannedResponse {
  id: string;
  scope: CannedScope;
  shortcut: string;
  title: string;
  text: string;
  createdBy: string;
  updatedAt: string;
}

export interface CannedResponseInput {
  scope: CannedScope;
  shortcut: string;
  title: string;
  text: string;
}

const FIELDS = new Set(['scope', 'shortcut', 'title', 'text']);

/** The variables `text` uses that are not ones the console fills. */
export function unknownVariables(text: string): string[] {
  const known: readonly string[] = CANNED_VARIABLES;
  // No spaces in the pattern around the name (trimmed here instead): three quantifiers that can all
  // take the same spaces backtrack cubically on an unclosed "{{" followed by spaces.
  return [...text.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1].trim()).filter((name) => !known.includes(name));
}

/**
 * The body of POST /v1/canned-responses (every field) or PATCH (`partial`: the fields to change;
 * scope cannot change), or a 400 naming each wrong, missing or unknown field.
 */
export function parseCannedResponse(body: Record<string, unknown>, partial: true): Partial<Omit<CannedResponseInput, 'scope'>>;
export function parseCannedResponse(body: Record<string, unknown>, partial?: false): CannedResponseInput;
export function parseCannedResponse(body: Record<string, unknown>, partial = false): Partial<CannedResponseInput> {
  const violations: FieldViolation[] = Object.keys(body)
    .filter((k) => !FIELDS.has(k))
    .map((field) => ({ field, problem: 'is not a field of a canned response (scope, shortcut, title, text)' }));
  const out: Partial<CannedResponseInput> = {};
  const present = (field: string) => !partial || body[field] !== undefined;

  if (partial && body.scope !== undefined)
    violations.push({ field: 'scope', problem: 'cannot change; delete the response and create it in the other scope' });
  else if (present('scope')) {
    if (typeof body.scope === 'string' && (CANNED_SCOPES as readonly string[]).includes(body.scope)) out.scope = body.scope as CannedScope;
    else violations.push({ field: 'scope', problem: 'is required: "tenant" (everyone in the tenant) or "personal" (yours only)' });
  }
  if (present('shortcut')) {
    if (typeof body.shortcut === 'string' && SHORTCUT.test(body.shortcut)) out.shortcut = body.shortcut;
    else
      violations.push({
        field: 'shortcut',
        problem: 'is required: 1 to 32 lower-case letters, digits, "-" or "_", starting with a letter or digit (typed after "/")',
      });
  }
  if (body.title !== undefined) {
    if (typeof body.title === 'string' && body.title.trim().length <= MAX_TITLE) out.title = body.title.trim();
    else violations.push({ field: 'title', problem: `must be a string of at most ${MAX_TITLE} characters` });
  }
  if (present('text')) {
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    // The length first: variables are looked for only in a text of an allowed size.
    const unknown = !text || text.length > MAX_TEXT ? [] : unknownVariables(text);
    if (!text || text.length > MAX_TEXT) violations.push({ field: 'text', problem: `is required: 1 to ${MAX_TEXT} characters` });
    else if (unknown.length > 0)
      violations.push({
        field: 'text',
        problem: `uses ${unknown.map((v) => `{{${v}}}`).join(', ')}; the variables are ${CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`,
      });
    else out.text = text;
  }
  if (violations.length > 0) throw GatewayError.invalid(violations);
  // Without a title the shortcut names it.
  if (!partial && !out.title) out.title = out.shortcut;
  return out;
}
