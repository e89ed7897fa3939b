// Hostile input at both public edges: thousands of seeded-random malformed, oversized and junk
// requests at the gRPC ChatGateway and the admin REST API (multipart upload bodies included). Whatever arrives, the gateway answers
// with a client error (never a 5xx, never INTERNAL/UNKNOWN), stores nothing for what it refused,
// and every service is still ready and answering afterwards. Some calls carry conversation and
// client message ids another fuzz customer already used: none of them is ever accepted.
// FUZZ_SEED=<n> replays a run.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { waitFor } from '@switchboard/testing';
import { SERVICES } from '../../cli/src/stack/local-stack';
import { protoDir } from '../../cli/src/paths';
import { type ChatEvent } from '../../cli/src/chat/chat.client';
import { startTestStack, type TestStack } from '../support/test-stack';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const GRPC_CASES = 1600;
const REST_CASES = 1400;
const CONCURRENCY = 16;
// Generous for the fuzz (its customers are random), low enough per customer for the burst.
const KEY_LIMIT = 1500;
const CUSTOMER_LIMIT = 20;

/** mulberry32: small, seeded, good enough to pick cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const TRICKS = [
  '\u202e',
  '\u2066',
  '\u2069',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u00ad',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u0085',
  '\u007f',
  '\r\n',
  '\t',
  '\ud800',
  '\udfff',
  'e\u0301',
  '\u{1f468}\u200d\u{1f469}',
  '\uffff',
  '\u0645\u200c\u062e',
  "'; drop table x; --",
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '%00',
  '\\u0000',
];

function junkString(r: Rng, max = 64): string {
  const n = r.int(max + 1);
  let s = '';
  while ([...s].length < n) {
    const k = r.int(5);
    if (k === 0) s += r.pick(TRICKS);
    else if (k === 1) s += String.fromCharCode(r.int(0x10000));
    else if (k === 2) s += String.fromCodePoint(0x10000 + r.int(0x100000));
    else s += String.fromCharCode(32 + r.int(95));
  }
  return s;
}

function stringField(r: Rng, valid: () => string): string {
  switch (r.int(8)) {
    case 0:
      return '';
    case 1:
      return junkString(r);
    case 2:
      return 'x'.repeat(r.pick([129, 4001, 20_000, 200_000]));
    case 3:
      return r.pick(['not-a-uuid', '00000000-0000-0000-0000-00000000000g', `${randomUUID()} `, randomUUID().toUpperCase(), ' ', '\n']);
    case 4:
      return valid() + r.pick(TRICKS);
    default:
      return valid();
  }
}

/** encodeURIComponent throws on unpaired surrogates; the client could not send those anyway. */
const uri = (s: string) => encodeURIComponent(s.replace(/\p{Cs}/gu, '?'));

interface Attachment {
  name: string;
  contentType: string;
  url: string;
  sizeBytes: string;
}

function junkMessage(r: Rng, customer: string) {
  const attachments: Attachment[] = [];
  if (r.chance(0.15)) {
    for (let i = r.int(14); i > 0; i--) {
      attachments.push({
        name: stringField(r, () => 'photo.png'),
        contentType: stringField(r, () => 'image/png'),
        url: stringField(r, () => 'https://files.example.com/a.png'),
        sizeBytes: r.pick(['0', '-1', '26214401', '9223372036854775807', '12']),
      });
    }
  }
  return {
    clientMessageId: stringField(r, () => randomUUID()),
    conversationId: r.chance(0.6) ? '' : stringField(r, () => randomUUID()),
    customerId: stringField(r, () => customer),
    channel: stringField(r, () => r.pick(['web', 'sms', 'app'])),
    locale: r.chance(0.5) ? '' : stringField(r, () => r.pick(['en-US', 'zh', 'de-DE'])),
    text: stringField(r, () => r.pick(['Where is my order?', 'hello', junkString(r, 200)])),
    attachments,
  };
}

type GrpcOutcome = {
  code: grpc.status;
  details: string;
  turnId?: string;
  conversationId?: string;
  refusedCustomer?: string;
  local?: boolean;
  method?: string;
  borrowed?: Borrowed;
};

const ALLOWED_GRPC = new Set([
  grpc.status.OK,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.UNAUTHENTICATED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.NOT_FOUND,
  grpc.status.PERMISSION_DENIED,
  grpc.status.ALREADY_EXISTS,
]);

/** Ids an accepted call used, and whose they are: what a cross-customer case borrows. */
interface UsedIds {
  conversationId: string;
  clientMessageId: string;
  customerId: string;
  channel: string;
}
/** A case that borrows another customer's ids, with the owner it must never be served as. */
interface Borrowed {
  owner: UsedIds;
  customerId: string;
  channel: string;
}

async function inBatches<T>(count: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += CONCURRENCY) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count - i) }, (_, j) => run(i + j)))));
  }
  return out;
}

describe('hostile input at the public APIs', () => {
  let t: TestStack;
  let client: grpc.Client;
  let methods: Record<string, { requestSerialize: (v: unknown) => Buffer; responseDeserialize: (b: Buffer) => any }>;
  let chatKey: string;
  let adminKey: string;
  let agentToken: string;
  const tenant = `fuzz${Date.now()}`;
  const figures: Record<string, unknown> = { seed: SEED };

  beforeAll(async () => {
    t = await startTestStack({ env: { RATE_LIMIT_KEY_PER_MIN: String(KEY_LIMIT), RATE_LIMIT_CUSTOMER_PER_MIN: String(CUSTOMER_LIMIT) } });
    chatKey = await t.createTenant(tenant, ['chat']);
    adminKey = await t.createApiKey(tenant, ['kb:admin']);
    agentToken = (await t.signIn(tenant, 'fuzz-agent', 'agent')).accessToken;
    const def = protoLoader.loadSync(path.join(protoDir, 'switchboard/chat/v1/chat.proto'), {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: [protoDir],
    });
    methods = def['switchboard.chat.v1.ChatGateway'] as unknown as typeof methods;
    client = new grpc.Client(t.stack.grpcAddress, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 4 * 1024 * 1024 });
  }, 120_000);

  afterAll(async () => {
    console.log(`fuzz figures: ${JSON.stringify(figures)}`);
    client?.close();
    await t?.close();
  });

  const customerRows = async (): Promise<string[]> =>
    (await t.db.query(`select turn_id from conversation.messages where tenant_id = $1 and role = 'customer'`, [tenant])).rows.map(
      (row) => row.turn_id as string,
    );

  function metadataFor(r: Rng): grpc.Metadata {
    const metadata = new grpc.Metadata();
    const k = r.int(20);
    if (k === 0) return metadata;
    if (k === 1) metadata.set('x-api-key', 'sb_fuzz_thisIsNotARealKeyAtAll000000');
    else if (k === 2) metadata.set('x-api-key', `sb_${'A'.repeat(r.pick([10, 121, 4000]))}`);
    else if (k === 3) metadata.set('x-api-key', junkString(r, 30).replace(/[^\x20-\x7e]/g, '?'));
    else if (k === 4) metadata.set('x-api-key-bin', Buffer.from(chatKey));
    else if (k === 5) {
      metadata.set('x-api-key', chatKey);
      metadata.add('x-api-key', 'sb_second_keyIsIgnored00000000000');
    } else metadata.set('x-api-key', chatKey);
    if (r.chance(0.05)) metadata.set('x-tenant-id', 'someone-else');
    return metadata;
  }

  // Filled as calls are accepted; later cases borrow from it.
  const used: UsedIds[] = [];

  function payload(r: Rng, method: string, customer: string): { bytes: Buffer; customer?: string; sent?: UsedIds; borrowed?: Borrowed } {
    const k = r.int(10);
    if (k === 0) return { bytes: Buffer.from(Array.from({ length: r.int(600) }, () => r.int(256))) };
    // One case in five borrows a conversation or client message id another customer used.
    const owner = used.length > 0 && r.chance(0.2) ? r.pick(used) : undefined;
    const channel = r.pick(['web', 'sms', 'app']);
    const request =
      method === 'SubscribeConversation'
        ? {
            conversationId: owner ? owner.conversationId : stringField(r, () => randomUUID()),
            afterEventId: owner ? '' : stringField(r, () => 'evt-1'),
            customerId: stringField(r, () => customer),
            channel: owner ? channel : stringField(r, () => channel),
          }
        : { message: r.chance(0.05) ? null : junkMessage(r, customer) };
    if (owner && 'message' in request && request.message) {
      if (r.chance(0.5)) request.message.conversationId = owner.conversationId;
      else request.message.clientMessageId = owner.clientMessageId;
    }
    let bytes: Buffer;
    try {
      bytes = methods[method].requestSerialize(request);
    } catch {
      bytes = Buffer.from(junkString(r, 100));
    }
    if (k === 1 && bytes.length > 1) bytes = bytes.subarray(0, r.int(bytes.length));
    if (k === 2 && bytes.length > 0) {
      bytes = Buffer.from(bytes);
      bytes[r.int(bytes.length)] ^= 1 << r.int(8);
    }
    const message = 'message' in request ? request.message : undefined;
    const sent =
      message && k > 2
        ? {
            conversationId: message.conversationId,
            clientMessageId: message.clientMessageId,
            customerId: message.customerId,
            channel: message.channel,
          }
        : undefined;
    const who = (message ?? ('customerId' in request ? request : undefined)) as { customerId: string; channel: string } | undefined;
    // Borrowed ids from the same customer on the same channel are that customer's own: not a probe.
    // Mangled bytes could turn a borrowed id into a fresh one, so only intact requests count.
    const borrowed =
      owner && who && k > 2 && (who.customerId !== owner.customerId || who.channel !== owner.channel)
        ? { owner, customerId: who.customerId, channel: who.channel }
        : undefined;
    return { bytes, customer: message?.customerId, sent, borrowed };
  }

  function callGrpc(method: string, bytes: Buffer, metadata: grpc.Metadata): Promise<GrpcOutcome> {
    const full = `/switchboard.chat.v1.ChatGateway/${method}`;
    const identity = (b: Buffer) => b;
    return new Promise((resolve) => {
      const deadline = Date.now() + 20_000;
      if (method === 'SendMessage') {
        client.makeUnaryRequest(full, identity, identity, bytes, metadata, { deadline }, (error, response) => {
          if (error) resolve({ code: error.code, details: error.details });
          else {
            const accepted = methods.SendMessage.responseDeserialize(response!);
            resolve({ code: grpc.status.OK, details: '', turnId: accepted.turnId, conversationId: accepted.conversationId });
          }
        });
        return;
      }
      // Streams: the first event or status is the answer; then stop listening.
      const call = client.makeServerStreamRequest(full, identity, identity, bytes, metadata, { deadline });
      let settled = false;
      const settle = (outcome: GrpcOutcome) => {
        if (!settled) {
          settled = true;
          resolve(outcome);
          call.cancel();
        }
      };
      call.on('data', (b: Buffer) => {
        const event = methods[method].responseDeserialize(b) as ChatEvent;
        settle({
          code: grpc.status.OK,
          details: '',
          turnId: event.kind === 'accepted' ? event.turnId : undefined,
          conversationId: event.conversationId,
        });
      });
      call.on('error', (error: grpc.ServiceError) =>
        settle({ code: error.code, details: error.details, local: error.code === grpc.status.CANCELLED }),
      );
      call.on('end', () => settle({ code: grpc.status.OK, details: '' }));
      // A subscription to a real (empty) conversation stays open: that is an answer too.
      setTimeout(() => settle({ code: grpc.status.OK, details: 'open' }), 1500);
    });
  }

  it('answers thousands of junk gRPC calls with client errors only, storing nothing it refused', async () => {
    const r = rng(SEED);
    const before = (await customerRows()).length;
    const started = Date.now();
    const outcomes = await inBatches(GRPC_CASES, async () => {
      const method = r.pick(['SendMessage', 'SendMessage', 'SendMessage', 'Converse', 'SubscribeConversation'] as const);
      const customer = `fuzz-${r.int(1_000_000)}`;
      const { bytes, customer: sent, sent: ids, borrowed } = payload(r, method, customer);
      let metadata: grpc.Metadata;
      try {
        metadata = metadataFor(r);
      } catch {
        const refused: GrpcOutcome = { code: grpc.status.OK, details: 'metadata refused by the client', local: true };
        return refused;
      }
      const outcome = await callGrpc(method, bytes, metadata);
      if (ids && outcome.turnId && outcome.conversationId) used.push({ ...ids, conversationId: outcome.conversationId });
      return { ...outcome, method, sent, borrowed };
    });
    figures.grpcMs = Date.now() - started;
    const byCode: Record<string, number> = {};
    for (const o of outcomes) byCode[grpc.status[o.code]] = (byCode[grpc.status[o.code]] ?? 0) + 1;
    figures.grpc = byCode;

    const wrong = outcomes.filter((o) => !ALLOWED_GRPC.has(o.code) && !(o.code === grpc.status.CANCELLED && o.local));
    expect(wrong.slice(0, 5)).toEqual([]);
    const refusedWithoutField = outcomes.filter(
      (o) =>
        o.code === grpc.status.INVALID_ARGUMENT &&
        !/^(message|conversation_id|after_event_id|customer_id|channel|the request)/.test(o.details),
    );
    expect(refusedWithoutField.slice(0, 5)).toEqual([]);

    // Another customer's ids never get a turn accepted or a stream opened (a subscription left
    // open counts as opened); the owner's conversation is never named to them.
    const borrowing = outcomes.filter((o) => o.borrowed);
    figures.crossCustomer = {
      cases: borrowing.length,
      refused: borrowing.filter((o) => o.code === grpc.status.NOT_FOUND || o.code === grpc.status.ALREADY_EXISTS).length,
    };
    expect(
      borrowing
        .filter((o) => o.code === grpc.status.OK && (o.turnId || o.details === 'open' || o.method === 'SubscribeConversation'))
        .slice(0, 5),
    ).toEqual([]);
    expect((figures.crossCustomer as { refused: number }).refused).toBeGreaterThan(0);

    // Every stored customer message belongs to an accepted call; every accepted one is stored.
    const accepted = new Set(outcomes.map((o) => o.turnId).filter((id): id is string => !!id));
    figures.grpcAccepted = accepted.size;
    const rows = await waitFor(
      async () => {
        const all = await customerRows();
        return all.length - before >= accepted.size && all;
      },
      'the accepted fuzz turns to be stored',
      120_000,
      500,
    );
    expect(rows.length - before).toBe(accepted.size);
    expect(rows.filter((id) => !accepted.has(id))).toEqual([]);
  }, 300_000);

  it('answers thousands of junk REST calls without a 5xx', async () => {
    const r = rng(SEED + 1);
    const base = `http://127.0.0.1:${t.stack.httpPort('gateway')}`;
    const routes = [
      ['POST', '/v1/knowledge-bases'],
      ['GET', '/v1/knowledge-bases'],
      ['POST', '/v1/knowledge-bases/:x/documents'],
      ['GET', '/v1/knowledge-bases/:x/documents'],
      ['GET', '/v1/knowledge-bases/:x/documents/:x'],
      ['DELETE', '/v1/knowledge-bases/:x/documents/:x'],
      ['POST', '/v1/search'],
      ['PUT', '/v1/moderation/policy'],
      ['GET', '/v1/moderation/policy'],
      ['PUT', '/v1/style-guide'],
      ['GET', '/v1/style-guide'],
      ['GET', '/v1/intents'],
      ['GET', '/v1/agent/tickets'],
      ['GET', '/v1/agent/tickets/:x'],
      ['POST', '/v1/agent/tickets/:x/claim'],
      ['POST', '/v1/agent/tickets/:x/notes'],
      ['POST', '/v1/agent/tickets/:x/status'],
      ['GET', '/v1/agent/conversations/:x/transcript'],
      ['POST', '/v1/agent/conversations/:x/messages'],
      ['GET', '/v1/agent/conversations/:x/customer'],
      ['POST', '/v1/agent/conversations/:x/takeover'],
      ['POST', '/v1/auth/login'],
      ['POST', '/v1/auth/refresh'],
      ['POST', '/v1/auth/logout'],
      ['GET', '/v1/auth/me'],
      ['POST', '/v1/users'],
      ['GET', '/v1/users'],
      ['PATCH', '/v1/users/:x'],
      ['POST', '/v1/api-keys'],
      ['GET', '/v1/api-keys'],
      ['DELETE', '/v1/api-keys/:x'],
      ['POST', '/v1/webhooks'],
      ['GET', '/v1/webhooks'],
      ['GET', '/v1/webhooks/dead-letters'],
      ['POST', '/v1/webhooks/dead-letters/:x/replay'],
      ['DELETE', '/v1/webhooks/:x'],
      ['GET', '/v1/audit'],
      ['GET', '/v1/audit/verify'],
      ['POST', '/v1/privacy/erasures'],
      ['PUT', '/v1/privacy/retention'],
      ['GET', '/v1/privacy/retention'],
      ['GET', '/health/ready'],
      ['GET', '/metrics'],
    ] as const;
    const param = () =>
      r.pick([
        randomUUID(),
        'x',
        '%zz',
        '%00',
        '..%2f..%2fetc',
        uri(junkString(r, 20)),
        'a'.repeat(r.pick([300, 5000])),
        '%F0%9F%98%80',
        '%E2%80%AE',
        '-1',
        'null',
      ]);
    const started = Date.now();
    const outcomes = await inBatches(REST_CASES, async () => {
      const [picked, route]: [string, string] = [...r.pick(routes)];
      let method = picked;
      if (r.chance(0.1)) method = r.pick(['PATCH', 'OPTIONS', 'HEAD', 'PUT', 'DELETE', 'POST']);
      let url = route.replace(/:x/g, param);
      if (r.chance(0.1)) url = `/v1/${param()}/${param()}`;
      if (r.chance(0.15))
        url += `?${r.pick(['limit=-1', 'limit=abc', 'status=%zz', `q=${'x'.repeat(6000)}`, 'a[b][c]=1&a[b][c]=2', `cursor=${uri(junkString(r, 40))}`])}`;
      const headers: Record<string, string> = {};
      const k = r.int(12);
      if (k === 1) headers['x-api-key'] = 'sb_fuzz_thisIsNotARealKeyAtAll000000';
      else if (k === 2) headers['x-api-key'] = chatKey;
      else if (k === 3) headers['x-api-key'] = `sb_${'B'.repeat(r.pick([5, 121, 3000]))}`;
      else if (k !== 0) headers['x-api-key'] = adminKey;
      // Access tokens: a real agent's, forged (alg none, bad signature), truncated, oversized, wrong scheme.
      if (r.chance(0.5)) {
        const [head, payload] = agentToken.split('.');
        headers.authorization = r.pick([
          `Bearer ${agentToken}`,
          `Bearer ${agentToken}`,
          `Bearer ${head}.${payload}.`,
          `Bearer eyJhbGciOiJub25lIn0.${payload}.`,
          `Bearer ${agentToken.slice(0, -5)}AAAAA`,
          `Bearer ${agentToken.slice(0, 40)}`,
          `Bearer ${'x'.repeat(5000)}`,
          'Basic YWRtaW46YWRtaW4=',
          'Bearer',
          '',
          `bearer ${uri(junkString(r, 30))}`,
        ]);
      }
      let body: string | Uint8Array | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const b = r.int(9);
        if (b === 0) {
          headers['content-type'] = 'application/json';
          body = r.pick(['{', '{"a":', '[1,2', 'nul', '"\\ud800"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']);
        } else if (b === 1) {
          headers['content-type'] = 'application/json';
          body = JSON.stringify({ name: 'x'.repeat(r.pick([1000, 150_000, 2_000_000])) });
        } else if (b === 2) {
          headers['content-type'] = r.pick([
            'text/plain',
            'application/xml',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=zzz',
            'multipart/form-data',
            'application/json; charset=utf-16',
            'image/png',
          ]);
          body = junkString(r, 300);
        } else if (b === 3) {
          headers['content-type'] = 'application/octet-stream';
          body = Uint8Array.from({ length: r.int(5000) }, () => r.int(256));
        } else if (b === 4) {
          headers['content-type'] = 'application/json';
          body = JSON.stringify(r.pick([null, 1, 'str', [], [{}], true, { a: { b: { c: { d: [[[[[]]]]] } } } }]));
        } else if (b === 5) {
          headers['content-type'] = 'application/json';
          body = JSON.stringify({
            id: junkString(r),
            name: junkString(r),
            url: r.pick(['http://127.0.0.1:5432', 'file:///etc/passwd', 'https://x']),
            words: [junkString(r)],
            text: junkString(r, 300),
            status: junkString(r, 10),
            events: [junkString(r, 10)],
            examples: { x: [junkString(r)] },
            tenantId: r.pick([tenant, junkString(r, 10)]),
            username: r.pick(['fuzz-agent', junkString(r, 10)]),
            password: r.pick([junkString(r, 20), 'x'.repeat(100_000)]),
            refreshToken: r.pick([`sbr_${'A'.repeat(43)}`, junkString(r, 50)]),
            role: r.pick(['admin', 'root', junkString(r, 5)]),
            scopes: r.pick([['chat'], ['agent'], [junkString(r, 5)]]),
            disabled: 'yes',
            customerId: r.pick([junkString(r, 20), 'x'.repeat(300), 42]),
            conversationDays: r.pick([-1, 1e9, 'ten', 1.5]),
            attachmentDays: r.pick([null, 4000, junkString(r, 3)]),
          });
        } else if (b === 6) {
          headers['content-type'] = 'application/json';
          body = `${'['.repeat(5000)}${']'.repeat(5000)}`;
        } else if (b === 7) {
          headers['content-type'] = 'multipart/form-data; boundary=zzz';
          body = `--zzz\r\nContent-Disposition: form-data; name="file"; filename="${junkString(r, 20).replace(/[\r\n"]/g, '')}"\r\nContent-Type: text/plain\r\n\r\n${junkString(r, 100)}\r\n--zzz--\r\n`;
        }
      }
      try {
        const res = await fetch(base + url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
        const text = await res.text();
        return { status: res.status, method, url: url.slice(0, 120), text: text.slice(0, 200) };
      } catch (error) {
        // fetch itself refused to send it (an invalid header value, say): not the server's doing.
        return { status: 0, method, url: url.slice(0, 120), text: (error as Error).message };
      }
    });
    figures.restMs = Date.now() - started;
    const byStatus: Record<string, number> = {};
    for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    figures.rest = byStatus;
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    expect(serverErrors.slice(0, 5)).toEqual([]);
    const notSent = outcomes.filter((o) => o.status === 0);
    expect(notSent.length).toBeLessThan(REST_CASES / 10);
  }, 300_000);

  it('refuses a burst over the per-customer and per-key limits, with a retry hint, storing nothing', async () => {
    // Per customer, over gRPC: CUSTOMER_LIMIT messages pass, the rest are RESOURCE_EXHAUSTED.
    const customerId = `burst-${randomUUID()}`;
    const before = (await customerRows()).length;
    const send = () =>
      new Promise<{ error?: grpc.ServiceError; turnId?: string }>((resolve) => {
        const metadata = new grpc.Metadata();
        metadata.set('x-api-key', chatKey);
        const bytes = methods.SendMessage.requestSerialize({
          message: { clientMessageId: randomUUID(), customerId, channel: 'web', text: 'hello' },
        });
        client.makeUnaryRequest(
          '/switchboard.chat.v1.ChatGateway/SendMessage',
          (b: Buffer) => b,
          (b: Buffer) => b,
          bytes,
          metadata,
          { deadline: Date.now() + 20_000 },
          (error, response) => {
            resolve(error ? { error } : { turnId: methods.SendMessage.responseDeserialize(response!).turnId });
          },
        );
      });
    const burst = await Promise.all(Array.from({ length: CUSTOMER_LIMIT + 10 }, send));
    const refused = burst.filter((b) => b.error);
    expect(refused).toHaveLength(10);
    expect(refused[0].error!.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(refused[0].error!.details).toMatch(
      /^rate limit reached \(customer\): at most 20 messages per minute for customer "burst-.*"; retry in \d+ s$/,
    );
    expect(Number(refused[0].error!.metadata.get('retry-after')[0])).toBeGreaterThan(0);
    const accepted = new Set(burst.map((b) => b.turnId).filter(Boolean));
    await waitFor(async () => (await customerRows()).length - before >= CUSTOMER_LIMIT, 'the admitted burst to be stored', 60_000, 500);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rows = await t.db.query(
      `select m.turn_id from conversation.messages m join conversation.conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id where m.tenant_id = $1 and c.customer_id = $2 and m.role = 'customer'`,
      [tenant, customerId],
    );
    expect(rows.rows.length).toBe(CUSTOMER_LIMIT);
    expect(rows.rows.every((row) => accepted.has(row.turn_id))).toBe(true);

    // Per key, over REST: a fresh admin key has KEY_LIMIT calls a minute, then 429 with Retry-After.
    const key = await t.createApiKey(tenant, ['kb:admin']);
    const base = `http://127.0.0.1:${t.stack.httpPort('gateway')}`;
    const started = Date.now();
    // The agents' desk needs a signed-in agent, so each call is refused by its controller (401) after the limiter counted it: cheap and stateless.
    const statuses = await inBatches(
      KEY_LIMIT + 20,
      async () => (await fetch(`${base}/v1/agent/tickets`, { headers: { 'x-api-key': key } })).status,
    );
    figures.restBurstMs = Date.now() - started;
    expect(statuses.filter((s) => s === 401)).toHaveLength(KEY_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    const limited = await fetch(`${base}/v1/knowledge-bases`, { headers: { 'x-api-key': key } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(
          /^rate limit reached \(api_key\): at most 1500 requests per minute for this API key; retry in \d+ s$/,
        ),
      },
    });
  }, 120_000);

  it('answers junk multipart bodies on the upload routes without a 5xx, and never buffers them for a caller without credentials', async () => {
    const r = rng(SEED + 2);
    const base = `http://127.0.0.1:${t.stack.httpPort('gateway')}`;
    const kb = `fuzz-kb-${r.int(1000)}`;
    const part = (name: string, value: string | Buffer, fileName?: string) =>
      Buffer.concat([
        Buffer.from(
          `--zzz\r\nContent-Disposition: form-data; name="${name}"${fileName === undefined ? '' : `; filename="${fileName}"`}\r\n${fileName === undefined ? '' : 'Content-Type: text/markdown\r\n'}\r\n`,
        ),
        Buffer.from(value),
        Buffer.from('\r\n'),
      ]);
    const end = Buffer.from('--zzz--\r\n');
    const bodies: Array<() => Buffer> = [
      // Junk parts: no name, broken headers, binary noise, a missing final boundary.
      () => Buffer.concat([Buffer.from(`--zzz\r\nContent-Disposition: form-data\r\n\r\n${junkString(r, 200)}\r\n`), end]),
      () => Buffer.from(`--zzz\r\n${junkString(r, 300)}\r\n\r\nx\r\n--zzz--`),
      () =>
        Buffer.concat([
          part(
            'file',
            Uint8Array.from({ length: r.int(5000) }, () => r.int(256)) as Buffer,
            `${junkString(r, 10).replace(/[\r\n"]/g, '')}.md`,
          ),
        ]),
      () => Buffer.concat([part('title', junkString(r, 100)), part('file', '# Title\n\nBody text.', 'a.md')]),
      // Huge fields: far over the field-size limit.
      () => Buffer.concat([part('title', 'x'.repeat(r.pick([5000, 1_000_000, 6_000_000]))), part('file', '# T\n\nbody', 'a.md'), end]),
      () => Buffer.concat([part('csv', 'x'.repeat(r.pick([10_000, 5_000_000]))), end]),
      // Many parts and many files.
      () => Buffer.concat([...Array.from({ length: r.pick([20, 200, 5000]) }, (_, i) => part(`f${i}`, 'v')), end]),
      () => Buffer.concat([...Array.from({ length: r.pick([2, 50]) }, (_, i) => part('file', `# ${i}\n\ntext`, `${i}.md`)), end]),
      () => Buffer.concat([...Array.from({ length: 30 }, (_, i) => part(`x${'n'.repeat(r.pick([10, 500]))}${i}`, 'v')), end]),
    ];
    const started = Date.now();
    const outcomes = await inBatches(300, async () => {
      const [method, url] = r.pick([
        ['POST', `/v1/knowledge-bases/${kb}/documents`],
        ['PUT', '/v1/intents'],
      ] as const);
      const headers: Record<string, string> = {
        'content-type': r.chance(0.9)
          ? 'multipart/form-data; boundary=zzz'
          : r.pick(['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/mixed; boundary=zzz']),
      };
      const k = r.int(4);
      if (k === 1) headers['x-api-key'] = adminKey;
      else if (k === 2) headers['x-api-key'] = chatKey;
      else if (k === 3) headers.authorization = `Bearer ${agentToken}`;
      try {
        const res = await fetch(base + url, { method, headers, body: r.pick(bodies)(), signal: AbortSignal.timeout(60_000) });
        return { status: res.status, url, auth: k, text: (await res.text()).slice(0, 200) };
      } catch (error) {
        // The server may close the connection right after refusing a caller whose body is still
        // being sent; that is the point of refusing before reading it.
        return { status: 0, url, auth: k, text: (error as Error).message };
      }
    });
    figures.multipartMs = Date.now() - started;
    const byStatus: Record<string, number> = {};
    for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    figures.multipart = byStatus;
    expect(outcomes.filter((o) => o.status >= 500).slice(0, 5)).toEqual([]);
    // Without admin credentials the answer is always 401 or 403 (or 429), whatever the body held.
    expect(outcomes.filter((o) => o.auth !== 1 && ![0, 401, 403, 429].includes(o.status)).slice(0, 5)).toEqual([]);
    expect(outcomes.filter((o) => o.auth === 1 && o.status === 0)).toEqual([]);

    // A caller without credentials announcing a 40 MiB body gets its 401 after the first 64 KiB,
    // and the connection is closed: the gateway did not wait for (or keep) the rest.
    const refusal = await new Promise<{ status: number; connection?: string; sentBytes: number }>((resolve, reject) => {
      const request = http.request(`${base}/v1/knowledge-bases/${kb}/documents`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=zzz', 'content-length': String(40 * 1024 * 1024) },
      });
      let sentBytes = 0;
      request.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, sentBytes });
        request.destroy();
      });
      request.on('error', (error) => (sentBytes > 0 ? undefined : reject(error)));
      const first = part('file', 'x'.repeat(64 * 1024), 'big.md');
      request.write(first);
      sentBytes = first.length;
      setTimeout(
        () =>
          reject(
            new Error('no answer within 20 s although only 64 KiB of the 40 MiB body were sent: the body is read before authentication'),
          ),
        20_000,
      );
    });
    expect(refusal).toEqual({ status: 401, connection: 'close', sentBytes: expect.any(Number) });
    expect(refusal.sentBytes).toBeLessThan(1024 * 1024);
  }, 300_000);

  it('leaves every service ready and still answering a normal turn', async () => {
    for (const service of SERVICES) {
      const res = await fetch(`http://127.0.0.1:${t.stack.httpPort(service)}/health/ready`);
      expect({ service, status: res.status }).toEqual({ service, status: 200 });
    }
    const events: ChatEvent[] = [];
    for await (const e of t.chat.converse({
      clientMessageId: randomUUID(),
      customerId: 'after-fuzz',
      channel: 'web',
      locale: 'en-US',
      text: 'Hello, how do I return an item?',
    }))
      events.push(e);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['accepted', 'reply', 'completed']));
    expect(t.logs()).not.toMatch(/unexpected error in a (gRPC|REST) call/);
  }, 180_000);
});
