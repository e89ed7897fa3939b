// @mentions in internal ticket notes. A note may mention only users who can open the ticket (desk
// roles whose departments reach it), so a mention never points someone at a ticket they cannot
// read; an unknown or unreachable name is a 400 and the note is not added. Each mention is kept
// unseen until the mentioned user opens the ticket; the console shows the unseen ones.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DESK_ROLES, type Principal, type Role } from '../auth/roles';
import type { Agent } from '../agents/agents.service';
import { scopeOf } from '../agents/desk-scope';
import { GatewayError } from '../gateway.errors';

/** The user names a note mentions, each once: "@sam", not the "@" inside an email address. */
export function mentionsIn(text: string): string[] {
  // A name ends in a letter or digit, so "@sam." is sam (the full stop ends the sentence).
  const names = [...text.matchAll(/(?<![\w@.])@([a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?)/gi)].map((m) => m[1].toLowerCase());
  return [...new Set(names)];
}

/** Whether `user` may open a ticket of `department` (the desk's own rule: scopeOf). */
function reaches(user: { username: string; role: Role; departments: string[] }, tenantId: string, department: string): boolean {
  if (!DESK_ROLES.includes(user.role)) return false;
  try {
    const scope = scopeOf({ tenantId, actor: { kind: 'user', id: user.username }, role: user.role, departments: user.departments });
    return !scope || scope.includes(department);
  } catch {
    return false;
  }
}

export interface Mention {
  id: string;
  ticketId: string;
  noteId: string;
  author: string;
  createdAt: string;
}

@Injectable()
export class MentionsService {
  constructor(private readonly db: DataSource) {}

  /** The users `text` mentions (not the author), each able to open a ticket of `department`; else a 400 naming them. */
  async mentionable(agent: Agent, department: string, text: string): Promise<string[]> {
    const names = mentionsIn(text).filter((name) => name !== agent.actor.id);
    if (names.length === 0) return [];
    const users: Array<{ username: string; role: Role; departments: string[] }> = await this.db.query(
      'select username, role, departments from gateway.users where tenant_id = $1 and username = any($2) and disabled_at is null',
      [agent.tenantId, names],
    );
    const unknown = names.filter((name) => !users.some((u) => u.username === name));
    const unreachable = users.filter((u) => !reaches(u, agent.tenantId, department)).map((u) => u.username);
    const problems = [
      ...(unknown.length
        ? [
            `mentions ${unknown.map((n) => `@${n}`).join(', ')}, who ${unknown.length === 1 ? 'is not a user' : 'are not users'} of this tenant`,
          ]
        : []),
      ...(unreachable.length
        ? [`mentions ${unreachable.map((n) => `@${n}`).join(', ')}, who cannot open tickets of department "${department}"`]
        : []),
    ];
    if (problems.length > 0) throw GatewayError.invalid(problems.map((problem) => ({ field: 'text', problem })));
    return names;
  }

  async record(agent: Agent, ticketId: string, noteId: string, names: string[]): Promise<void> {
    for (const name of names) {
      await this.db.query(
        'insert into gateway.note_mentions (id, tenant_id, ticket_id, note_id, username, author) values ($1, $2, $3, $4, $5, $6)',
        [randomUUID(), agent.tenantId, ticketId, noteId, name, agent.actor.id],
      );
    }
  }

  /** Drops the mentions of a note that was not added after all. */
  async forget(tenantId: string, noteId: string): Promise<void> {
    await this.db.query('delete from gateway.note_mentions where tenant_id = $1 and note_id = $2', [tenantId, noteId]);
  }

  /** The caller's unseen mentions, newest first (ids and names only: the note is read on its ticket). */
  async unseen(caller: Principal): Promise<{ mentions: Mention[] }> {
    const rows: Array<{ id: string; ticket_id: string; note_id: string; author: string; created_at: Date }> = await this.db.query(
      `select id, ticket_id, note_id, author, created_at from gateway.note_mentions
        where tenant_id = $1 and username = $2 and seen_at is null order by created_at desc limit 100`,
      [caller.tenantId, caller.actor.id],
    );
    return {
      mentions: rows.map((r) => ({
        id: r.id,
        ticketId: r.ticket_id,
        noteId: r.note_id,
        author: r.author,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }

  /** Marks the caller's mentions on `ticketId` seen (they opened it). */
  async seen(caller: Principal, ticketId: string): Promise<void> {
    await this.db.query(
      'update gateway.note_mentions set seen_at = now() where tenant_id = $1 and username = $2 and ticket_id = $3 and seen_at is null',
      [caller.tenantId, caller.actor.id, ticketId],
    );
  }
}
