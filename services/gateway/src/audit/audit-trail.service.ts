// Records one audit.events.v1 event per admin or agent call, success or refusal, through the
// gateway's outbox (Postgres), so a Kafka outage delays events instead of losing them; the ticketing
// service chains and stores them. `@Audited` on a service method is how a call gets audited.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditActorSchema, AuditEventSchema, AuditResourceSchema, create, Topics } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { Outbox } from '@switchboard/persistence';
import { LOGGER } from '@switchboard/platform';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/roles';

export type ActorKind = 'api_key' | 'user' | 'system';

export interface AuditRecord {
  tenantId: string;
  actor: { kind: ActorKind; id: string };
  action: string;
  resource: { type: string; id: string };
  outcome: 'ok' | 'refused';
  /** An error code, never text a customer or agent wrote. */
  detail: string;
}

@Injectable()
export class AuditTrail {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * Stages the event; the relay publishes it now, or when Kafka is back. Fails open only when
   * Postgres refuses the row: the call it describes still stands and the loss is logged as an error
   * (the log is tamper-evident, not a gate on every admin call).
   */
  async record(r: AuditRecord): Promise<void> {
    const event = create(AuditEventSchema, {
      tenantId: r.tenantId,
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      actor: create(AuditActorSchema, r.actor),
      action: r.action,
      resource: create(AuditResourceSchema, { type: r.resource.type, id: r.resource.id.slice(0, 256) }),
      outcome: r.outcome,
      detail: r.detail.slice(0, 200),
    });
    try {
      await this.db.transaction((manager) => this.outbox.stage(manager, Topics.auditEvents, event));
    } catch (error) {
      this.log.error({ err: error, action: r.action, tenantId: r.tenantId }, 'audit event not recorded');
      return;
    }
    // Published at once when Kafka answers; otherwise the relay's next round retries it.
    void this.outbox.flush().catch(() => undefined);
  }
}

/** The first argument of every audited method is who calls: an API key or a signed-in user. */
function actorOf(subject: Principal): { tenantId: string; actor: AuditRecord['actor'] } {
  return { tenantId: subject.tenantId, actor: { kind: subject.actor.kind, id: subject.actor.id } };
}

/** The error's code (GatewayError, RpcRemoteError, PermanentError) or its class name; never its message. */
export function refusalOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : 'ERROR';
}

/**
 * Audits every call of the method: `action` with the resource `type` whose id is the argument at
 * `id` (an index) or what `id` picks from the arguments. Refusals (validation, auth of the agent,
 * domain errors, timeouts) are recorded with their code and rethrown unchanged.
 */
export function Audited(action: string, type: string, id?: number | ((args: readonly unknown[]) => unknown)) {
  return (_target: { readonly audit?: AuditTrail }, _key: string, descriptor: PropertyDescriptor): void => {
    const method = descriptor.value as (...args: unknown[]) => unknown;
    descriptor.value = async function audited(this: { readonly audit?: AuditTrail }, ...args: unknown[]) {
      const resourceId = id === undefined ? '' : typeof id === 'number' ? args[id] : id(args);
      const record = (outcome: 'ok' | 'refused', detail: string) =>
        // Unwired only where a unit test builds the service by hand; Nest always injects it.
        this.audit?.record({
          ...actorOf(args[0] as Principal),
          action,
          resource: { type, id: typeof resourceId === 'string' ? resourceId : '' },
          outcome,
          detail,
        });
      try {
        const result = await method.apply(this, args);
        await record('ok', '');
        return result;
      } catch (error) {
        await record('refused', refusalOf(error));
        throw error;
      }
    };
  };
}
