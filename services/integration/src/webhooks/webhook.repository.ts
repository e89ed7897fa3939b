// The webhook tables in the `integration` schema. Every query names the tenant except the
// poller's claim, which works through all tenants' due deliveries. Endpoint secrets and delivery
// payloads (event JSON with message text and summaries) are stored encrypted; signing needs the
// secret itself, so it is encrypted rather than hashed. Each value is bound to its row (endpoint or
// delivery id): copied into another row it does not decrypt.
import { randomUUID } from 'node:crypto';
import { CryptoError, type FieldCipher } from '@switchboard/crypto';
import type { DataSource, EntityManager } from 'typeorm';

const SECRET = 'integration.webhook_endpoints.secret';
const PAYLOAD = 'integration.webhook_deliveries.payload';

export interface EndpointRow {
  tenantId: string;
  endpointId: string;
  url: string;
  eventTypes: string[];
  description: string;
  createdAt: Date;
}

export interface DueDelivery {
  tenantId: string;
  deliveryId: string;
  endpointId: string;
  eventType: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
  /** Why the payload or secret does not decrypt (unknown key, altered); such a delivery cannot be sent. */
  unreadable?: string;
}

export interface DeadLetterRow {
  tenantId: string;
  deliveryId: string;
  endpointId: string;
  url: string;
  eventType: string;
  eventId: string;
  attempts: number;
  lastError: string;
  createdAt: Date;
  failedAt: Date;
}

export interface NewDeliveries {
  tenantId: string;
  topic: string;
  eventId: string;
  eventType: string;
  /** `ticket.*` for `ticket.created`: endpoints subscribed to the whole topic. */
  wildcard: string;
  payload: string;
  /** Whom and which conversation the event is about, when it says: erasure finds deliveries by them. */
  customerId?: string;
  conversationId?: string;
}

/** TypeORM returns `[rows, count]` for UPDATE and DELETE, rows otherwise. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

const ENDPOINT_COLUMNS =
  'tenant_id as "tenantId", endpoint_id as "endpointId", url, event_types as "eventTypes", description, created_at as "createdAt"';

export class WebhookRepository {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  async createEndpoint(endpoint: {
    tenantId: string;
    endpointId: string;
    url: string;
    eventTypes: string[];
    secret: string;
    description: string;
  }): Promise<EndpointRow> {
    const rows = await this.db.query<unknown[]>(
      `insert into integration.webhook_endpoints (tenant_id, endpoint_id, url, event_types, secret, description) values ($1, $2, $3, $4, $5, $6) returning ${ENDPOINT_COLUMNS}`,
      [
        endpoint.tenantId,
        endpoint.endpointId,
        endpoint.url,
        endpoint.eventTypes,
        this.cipher.seal(endpoint.secret, { tenantId: endpoint.tenantId, column: SECRET, row: endpoint.endpointId }),
        endpoint.description,
      ],
    );
    return rowsOf<EndpointRow>(rows)[0];
  }

  async countEndpoints(tenantId: string): Promise<number> {
    const [row] = await this.db.query<Array<{ n: number }>>(
      'select count(*)::int as n from integration.webhook_endpoints where tenant_id = $1',
      [tenantId],
    );
    return row.n;
  }

  async listEndpoints(tenantId: string): Promise<EndpointRow[]> {
    return this.db.query(
      `select ${ENDPOINT_COLUMNS} from integration.webhook_endpoints where tenant_id = $1 order by created_at, endpoint_id`,
      [tenantId],
    );
  }

  async deleteEndpoint(tenantId: string, endpointId: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query('delete from integration.webhook_endpoints where tenant_id = $1 and endpoint_id = $2 returning endpoint_id', [
        tenantId,
        endpointId,
      ]),
    );
    return rows.length > 0;
  }

  /**
   * One pending delivery per matching endpoint; an event seen again adds nothing. Returns how many
   * were added. Each delivery's payload is sealed for its own row (delivery id), so it is chosen first.
   */
  async enqueue(event: NewDeliveries): Promise<number> {
    const endpoints = rowsOf<{ endpoint_id: string }>(
      await this.db.query(
        `select endpoint_id from integration.webhook_endpoints
        where tenant_id = $1 and (cardinality(event_types) = 0 or $2 = any(event_types) or $3 = any(event_types))`,
        [event.tenantId, event.eventType, event.wildcard],
      ),
    );
    if (endpoints.length === 0) return 0;
    const ids = endpoints.map(() => randomUUID());
    const payloads = ids.map((id) => this.cipher.seal(event.payload, { tenantId: event.tenantId, column: PAYLOAD, row: id }));
    // Joined with the endpoints again: one deleted meanwhile gets nothing.
    const rows = rowsOf(
      await this.db.query(
        `insert into integration.webhook_deliveries (tenant_id, delivery_id, endpoint_id, topic, event_id, event_type, payload, customer_id, conversation_id)
       select e.tenant_id, d.delivery_id, e.endpoint_id, $2, $3, $4, d.payload, $5, $6
         from unnest($7::uuid[], $8::uuid[], $9::text[]) as d(delivery_id, endpoint_id, payload)
         join integration.webhook_endpoints e on e.tenant_id = $1 and e.endpoint_id = d.endpoint_id
       on conflict (tenant_id, endpoint_id, topic, event_id) do nothing
       returning delivery_id`,
        [
          event.tenantId,
          event.topic,
          event.eventId,
          event.eventType,
          event.customerId || null,
          event.conversationId || null,
          ids,
          endpoints.map((e) => e.endpoint_id),
          payloads,
        ],
      ),
    );
    return rows.length;
  }

  /**
   * Takes up to `limit` due deliveries and counts the attempt now; `leaseMs` later they are due
   * again, so a replica that dies mid-request leaves nothing stuck. Replicas skip each other's rows.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const claimed = rowsOf<DueDelivery>(
      await this.db.query(
        `with due as (
         select tenant_id, delivery_id from integration.webhook_deliveries
          where status = 'pending' and next_attempt_at <= now()
          order by next_attempt_at limit $1 for update skip locked)
       update integration.webhook_deliveries d
          set attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
         from due, integration.webhook_endpoints e
        where d.tenant_id = due.tenant_id and d.delivery_id = due.delivery_id and e.tenant_id = d.tenant_id and e.endpoint_id = d.endpoint_id
       returning d.tenant_id as "tenantId", d.delivery_id as "deliveryId", d.endpoint_id as "endpointId", d.event_type as "eventType", d.payload,
                 d.attempts, e.url, e.secret`,
        [limit, leaseMs],
      ),
    );
    return claimed.map((d) => this.open(d));
  }

  /** The delivery with its payload and secret decrypted, or marked unreadable. */
  private open(delivery: DueDelivery): DueDelivery {
    try {
      return {
        ...delivery,
        payload: this.cipher.decrypt(delivery.payload, { tenantId: delivery.tenantId, column: PAYLOAD, row: delivery.deliveryId }),
        // The secret is bound to its endpoint: one copied from another endpoint's row does not decrypt.
        secret: this.cipher.decrypt(delivery.secret, { tenantId: delivery.tenantId, column: SECRET, row: delivery.endpointId }),
      };
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return { ...delivery, unreadable: error.message };
    }
  }

  async markDelivered(tenantId: string, deliveryId: string): Promise<void> {
    await this.db.query(
      `update integration.webhook_deliveries set status = 'delivered', delivered_at = now(), last_error = null where tenant_id = $1 and delivery_id = $2`,
      [tenantId, deliveryId],
    );
  }

  async scheduleRetry(tenantId: string, deliveryId: string, delayMs: number, error: string): Promise<void> {
    await this.db.query(
      `update integration.webhook_deliveries set next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4 where tenant_id = $1 and delivery_id = $2 and status = 'pending'`,
      [tenantId, deliveryId, delayMs, error],
    );
  }

  async markDead(tenantId: string, deliveryId: string, error: string): Promise<void> {
    await this.db.query(
      `update integration.webhook_deliveries set status = 'dead', failed_at = now(), last_error = $3 where tenant_id = $1 and delivery_id = $2 and status = 'pending'`,
      [tenantId, deliveryId, error],
    );
  }

  async listDeadLetters(tenantId: string, limit: number): Promise<DeadLetterRow[]> {
    return this.db.query(
      `select d.tenant_id as "tenantId", d.delivery_id as "deliveryId", d.endpoint_id as "endpointId", e.url, d.event_type as "eventType", d.event_id as "eventId",
              d.attempts, coalesce(d.last_error, '') as "lastError", d.created_at as "createdAt", d.failed_at as "failedAt"
         from integration.webhook_deliveries d join integration.webhook_endpoints e using (tenant_id, endpoint_id)
        where d.tenant_id = $1 and d.status = 'dead' order by d.failed_at desc limit $2`,
      [tenantId, limit],
    );
  }

  /** Puts a dead letter back in the queue with a fresh set of attempts; false when there is none. */
  async replay(tenantId: string, deliveryId: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `update integration.webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), failed_at = null
        where tenant_id = $1 and delivery_id = $2 and status = 'dead' returning delivery_id`,
        [tenantId, deliveryId],
      ),
    );
    return rows.length > 0;
  }

  /** Erasure: deletes the tenant's deliveries about the customer or any of the conversations; returns how many. */
  async deleteDeliveriesAbout(
    tenantId: string,
    subject: { customerId?: string; conversationIds?: string[] },
    db: EntityManager | DataSource = this.db,
  ): Promise<number> {
    const rows = rowsOf(
      await db.query(
        `delete from integration.webhook_deliveries where tenant_id = $1 and (customer_id = $2 or conversation_id = any($3::text[])) returning delivery_id`,
        [tenantId, subject.customerId || null, subject.conversationIds ?? []],
      ),
    );
    return rows.length;
  }

  /** Delivered rows are kept a while for support questions, then dropped. */
  async pruneDelivered(olderThanDays: number): Promise<void> {
    await this.db.query(
      `delete from integration.webhook_deliveries where status = 'delivered' and delivered_at < now() - $1 * interval '1 day'`,
      [olderThanDays],
    );
  }
}
