// Who sees what, through the REST API and every service: agents see customers' contact details
// masked; senior agents and supervisors see them only for customers the channel authenticated (not
// for one who merely typed an email); a tenant can forbid order changes without that proof; supervisors and
// agents with departments reach only their departments' tickets and conversations; the desk and the
// admin API refuse each other's roles. And the sessions behind it: sign-in, refresh rotation with
// reuse detection, sign-out, disabled accounts, sign-in limits, API key revocation; who may move a
// ticket someone else holds.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@switchboard/testing';
import type { ChatEvent } from '../../cli/src/chat/chat.client';
import { DEMO_TENANT, startTestStack, TEST_PASSWORD, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);
const YARA = { email: 'yara.li6570@example.com', userId: 'yara_li_8961', street: '713 Hillcrest Drive', customerId: `cust-yara-${RUN}` };
const PHONE = '+1 415-555-0123';

type As = { headers: Record<string, string> };

describe('roles and field-level access', () => {
  let t: TestStack;
  let verified: { conversationId: string; ticketId: string; department: string };
  let unverified: { conversationId: string; ticketId: string };
  let knowledgeOnly: { conversationId: string };
  let agent: As;
  let senior: As;
  let admin: As;

  const ticketOf = (conversationId: string) =>
    waitFor(
      async () =>
        (await t.db.query('select id, department from ticketing.tickets where conversation_id = $1', [conversationId])).rows[0] as
          { id: string; department: string } | undefined,
      'the hand-off ticket',
    );

  beforeAll(async () => {
    // The test's requests name their client address in X-Forwarded-For, as a load balancer would.
    t = await startTestStack({ env: { TRUSTED_PROXIES: 'loopback' } });
    // A customer signed in to the shop (the adapter vouches for her user id) who asks for a person;
    // one who only typed that customer's email; and one who never says who they are.
    const signedIn = async (text: string, conversationId?: string) => {
      const events: ChatEvent[] = [];
      for await (const e of t.chat.converse({
        clientMessageId: randomUUID(),
        customerId: YARA.userId,
        customerAuthenticated: true,
        channel: 'web',
        locale: 'en-US',
        text,
        ...(conversationId ? { conversationId } : {}),
      }))
        events.push(e);
      return events[0].conversationId;
    };
    const first = await signedIn(`Where is my order? My email is ${YARA.email}`);
    await signedIn('I want to talk to a human agent', first);
    const ticket = await ticketOf(first);
    verified = { conversationId: first, ticketId: ticket.id, department: ticket.department };
    const typed = await t.say(YARA.customerId, undefined, `Where is my order? My email is ${YARA.email}`);
    await t.say(YARA.customerId, typed.conversationId, 'I want to talk to a human agent');
    await ticketOf(typed.conversationId);
    knowledgeOnly = { conversationId: typed.conversationId };
    const other = await t.say(`cust-anon-${RUN}`, undefined, `Call me back on ${PHONE}, I want to talk to a human agent`);
    unverified = { conversationId: other.conversationId, ticketId: (await ticketOf(other.conversationId)).id };
    agent = { headers: (await t.signIn(DEMO_TENANT, 'lee', 'agent')).headers };
    senior = { headers: (await t.signIn(DEMO_TENANT, 'kim', 'senior_agent')).headers };
    admin = { headers: (await t.signIn(DEMO_TENANT, 'ada', 'admin')).headers };
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  const customerLines = (body: { messages: Array<{ role: string; text: string }> }) =>
    body.messages
      .filter((m) => m.role === 'customer')
      .map((m) => m.text)
      .join('\n');

  it("masks a customer's contact details for an agent", async () => {
    const transcript = await t.rest('GET', `/v1/agent/conversations/${verified.conversationId}/transcript`, agent);
    expect(transcript.status).toBe(200);
    expect(transcript.body.contactDetails).toBe('masked');
    expect(customerLines(transcript.body)).toContain('My email is y•••@example.com');
    expect(JSON.stringify(transcript.body)).not.toContain(YARA.email);

    const account = await t.rest('GET', `/v1/agent/conversations/${verified.conversationId}/customer`, agent);
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ userId: YARA.userId, contactDetails: 'masked' });
    expect(account.body.account).toMatchObject({
      email: 'y•••@example.com',
      name: { first_name: 'Yara', last_name: 'L.' },
      address: { city: 'New York', address1: '•••', zip: '•••' },
    });
    expect(JSON.stringify(account.body)).not.toMatch(/Hillcrest|10126|yara\.li6570/);
  });

  it('shows a senior agent the details of a verified customer, and still masks an unverified one', async () => {
    const transcript = await t.rest('GET', `/v1/agent/conversations/${verified.conversationId}/transcript`, senior);
    expect(transcript.body.contactDetails).toBe('clear');
    expect(customerLines(transcript.body)).toContain(`My email is ${YARA.email}`);
    const account = await t.rest('GET', `/v1/agent/conversations/${verified.conversationId}/customer`, senior);
    expect(account.body).toMatchObject({
      contactDetails: 'clear',
      account: { email: YARA.email, address: { address1: YARA.street, zip: '10126' } },
    });

    const other = await t.rest('GET', `/v1/agent/conversations/${unverified.conversationId}/transcript`, senior);
    expect(other.body.contactDetails).toBe('masked');
    expect(customerLines(other.body)).toContain('Call me back on •••0123');
    expect(JSON.stringify(other.body)).not.toContain('415-555-0123');
    // Knowing her email verifies the customer for the bot, not for unmasking her details.
    const typed = await t.rest('GET', `/v1/agent/conversations/${knowledgeOnly.conversationId}/transcript`, senior);
    expect(typed.body).toMatchObject({ contactDetails: 'masked', verifiedUserId: YARA.userId, verifiedBy: 'knowledge' });
    expect(JSON.stringify(typed.body)).not.toContain(YARA.email);
    const typedAccount = await t.rest('GET', `/v1/agent/conversations/${knowledgeOnly.conversationId}/customer`, senior);
    expect(typedAccount.body).toMatchObject({ contactDetails: 'masked', account: { address: { zip: '•••' } } });
    const noAccount = await t.rest('GET', `/v1/agent/conversations/${unverified.conversationId}/customer`, senior);
    expect(noAccount.status).toBe(404);
    expect(noAccount.body.error.message).toContain('has not proved who they are');

    // Every look at a customer's account is in the audit log, under the senior agent's name.
    const entries = await waitFor(async () => {
      const res = await t.rest('GET', '/v1/audit?action=customer.account.read&actor=kim', admin);
      return res.body.entries.length >= 3 && res.body.entries;
    }, 'the account reads in the audit log');
    // The verified customer's, the knowledge-only customer's (masked) and the refused one.
    expect(entries.map((e: { event: { outcome: string } }) => e.event.outcome).sort()).toEqual(['ok', 'ok', 'refused']);
  });

  it('lets an admin require channel identity before the bot changes an order, validating the setting', async () => {
    const bad = await t.rest('PUT', '/v1/settings/identity', { ...admin, json: { requireChannelIdentity: 'yes', tenantId: 'other' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('requireChannelIdentity');
    expect(bad.body.error.message).toContain('tenantId');
    expect((await t.rest('PUT', '/v1/settings/identity', { ...senior, json: { requireChannelIdentity: true } })).status).toBe(403);
    expect((await t.rest('GET', '/v1/settings/identity', admin)).body).toEqual({ requireChannelIdentity: false });
    const set = await t.rest('PUT', '/v1/settings/identity', { ...admin, json: { requireChannelIdentity: true } });
    expect([set.status, set.body]).toEqual([200, { requireChannelIdentity: true }]);
    try {
      // Her email typed by someone the adapter did not sign in: verified for the bot, but no order change.
      const customer = `cust-typed-${RUN}`;
      const asked = await t.say(customer, undefined, `My email is ${YARA.email}`);
      const refused = await t.say(customer, asked.conversationId, 'I want to cancel my order #W2497857 because I no longer need it');
      expect(refused.reply.text).toMatch(/signed in/);
      expect(refused.reply.text).not.toMatch(/To confirm/);
    } finally {
      await t.rest('PUT', '/v1/settings/identity', { ...admin, json: { requireChannelIdentity: false } });
    }
  });

  it("keeps supervisors and agents with departments to their departments' tickets", async () => {
    const otherDepartment = ['customer-support', 'orders', 'escalations', 'support-zh'].find((d) => d !== verified.department)!;
    const own = { headers: (await t.signIn(DEMO_TENANT, 'sue', 'supervisor', [verified.department])).headers };
    const elsewhere = { headers: (await t.signIn(DEMO_TENANT, 'otto', 'supervisor', [otherDepartment])).headers };
    const narrowAgent = { headers: (await t.signIn(DEMO_TENANT, 'nia', 'agent', [otherDepartment])).headers };

    const sees = await t.rest('GET', '/v1/agent/tickets', own);
    expect(sees.body.tickets.map((x: { id: string }) => x.id)).toContain(verified.ticketId);
    expect(sees.body.tickets.every((x: { department: string }) => x.department === verified.department)).toBe(true);
    expect((await t.rest('GET', `/v1/agent/tickets/${verified.ticketId}`, own)).status).toBe(200);
    expect((await t.rest('GET', `/v1/agent/conversations/${verified.conversationId}/transcript`, own)).body.contactDetails).toBe('clear');

    for (const outsider of [elsewhere, narrowAgent]) {
      const listed = await t.rest('GET', '/v1/agent/tickets', outsider);
      expect(listed.status).toBe(200);
      expect(listed.body.tickets.map((x: { id: string }) => x.id)).not.toContain(verified.ticketId);
      expect((await t.rest('GET', `/v1/agent/tickets?department=${verified.department}`, outsider)).status).toBe(403);
      for (const [method, path] of [
        ['GET', `/v1/agent/tickets/${verified.ticketId}`],
        ['POST', `/v1/agent/tickets/${verified.ticketId}/claim`],
        ['GET', `/v1/agent/conversations/${verified.conversationId}/transcript`],
        ['GET', `/v1/agent/conversations/${verified.conversationId}/customer`],
        ['POST', `/v1/agent/conversations/${verified.conversationId}/takeover`],
      ] as const) {
        expect([method, path, (await t.rest(method, path, outsider)).status]).toEqual([method, path, 404]);
      }
    }
    // Nobody outside the department claimed it.
    expect(
      (await t.db.query('select assignee_id from ticketing.tickets where id = $1', [verified.ticketId])).rows[0].assignee_id ?? '',
    ).toBe('');
  });

  it("refuses the desk to admins and the admin API to the desk's roles", async () => {
    const desk = await t.rest('GET', '/v1/agent/tickets', admin);
    expect(desk.status).toBe(403);
    expect(desk.body.error.message).toContain('signed in as admin');
    expect((await t.rest('GET', '/v1/users', admin)).status).toBe(200);
    for (const [method, path, json] of [
      ['GET', '/v1/users', undefined],
      ['POST', '/v1/users', { username: 'eve', password: TEST_PASSWORD, role: 'admin' }],
      ['GET', '/v1/api-keys', undefined],
      ['POST', '/v1/api-keys', { name: 'mine', scopes: ['kb:admin'] }],
      ['GET', '/v1/knowledge-bases', undefined],
      ['PUT', '/v1/moderation/policy', { rules: [] }],
      ['GET', '/v1/webhooks', undefined],
      ['GET', '/v1/audit', undefined],
    ] as const) {
      for (const who of [agent, senior]) {
        const res = await t.rest(method, path, { ...who, json });
        expect([method, path, res.status]).toEqual([method, path, 403]);
      }
    }
    expect((await t.db.query("select count(*)::int as n from gateway.users where username = 'eve'")).rows[0].n).toBe(0);
  });

  it('rotates refresh tokens, revokes a session whose refresh token is reused, and ends sessions at sign-out', async () => {
    const wrong = await t.rest('POST', '/v1/auth/login', {
      json: { tenantId: DEMO_TENANT, username: 'lee', password: 'not the password at all' },
    });
    const unknown = await t.rest('POST', '/v1/auth/login', {
      json: { tenantId: DEMO_TENANT, username: 'nobody', password: 'not the password at all' },
    });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);

    const session = await t.signIn(DEMO_TENANT, 'ravi', 'agent');
    const me = await t.rest('GET', '/v1/auth/me', { headers: session.headers });
    expect(me.body).toMatchObject({ tenantId: DEMO_TENANT, username: 'ravi', role: 'agent' });
    expect(JSON.stringify(me.body)).not.toContain('argon2');

    const refreshed = await t.rest('POST', '/v1/auth/refresh', { json: { refreshToken: session.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(session.refreshToken);
    const stolen = await t.rest('POST', '/v1/auth/refresh', { json: { refreshToken: session.refreshToken } });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error.message).toContain('already used');
    // The reuse revoked the whole session: the newer refresh token is dead too.
    expect((await t.rest('POST', '/v1/auth/refresh', { json: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);

    const next = await t.rest('POST', '/v1/auth/login', { json: { tenantId: DEMO_TENANT, username: 'ravi', password: TEST_PASSWORD } });
    const bearer = { authorization: `Bearer ${next.body.accessToken}` };
    expect((await t.rest('GET', '/v1/agent/tickets', { headers: bearer })).status).toBe(200);
    expect((await t.rest('POST', '/v1/auth/logout', { headers: bearer })).status).toBe(204);
    const after = await t.rest('GET', '/v1/agent/tickets', { headers: bearer });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toContain('signed out');
    expect((await t.rest('POST', '/v1/auth/refresh', { json: { refreshToken: next.body.refreshToken } })).status).toBe(401);
    // Nothing but hashes is stored.
    const stored = await t.db.query('select password_hash from gateway.users where username = $1', ['ravi']);
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const tokens = await t.db.query('select token_hash from gateway.refresh_tokens');
    expect(tokens.rows.map((r) => r.token_hash)).not.toContain(next.body.refreshToken);
  });

  it("stops a disabled account's tokens at once, limits sign-in attempts, and revokes API keys", async () => {
    const victim = await t.signIn(DEMO_TENANT, 'temp', 'agent');
    const renamed = await t.rest('PATCH', `/v1/users/${victim.userId}`, { ...admin, json: { displayName: 'Temp Worker' } });
    expect(renamed.body).toMatchObject({ username: 'temp', displayName: 'Temp Worker' });
    const disabled = await t.rest('PATCH', `/v1/users/${victim.userId}`, { ...admin, json: { disabled: true } });
    expect(disabled.body).toMatchObject({ username: 'temp', disabled: true });
    expect((await t.rest('GET', '/v1/agent/tickets', { headers: victim.headers })).status).toBe(401);
    expect(
      (await t.rest('POST', '/v1/auth/login', { json: { tenantId: DEMO_TENANT, username: 'temp', password: TEST_PASSWORD } })).status,
    ).toBe(401);
    expect((await t.rest('POST', '/v1/auth/refresh', { json: { refreshToken: victim.refreshToken } })).status).toBe(401);

    const attempts = [];
    for (let i = 0; i < 11; i += 1)
      attempts.push(
        await t.rest('POST', '/v1/auth/login', { json: { tenantId: DEMO_TENANT, username: 'guess-me', password: `guess number ${i}` } }),
      );
    expect(attempts.slice(0, 10).every((a) => a.status === 401)).toBe(true);
    expect(attempts[10].status).toBe(429);
    expect(attempts[10].body.error.code).toBe('RATE_LIMITED');

    const made = await t.rest('POST', '/v1/api-keys', { ...admin, json: { name: 'warehouse script', scopes: ['kb:admin'] } });
    expect(made.status).toBe(201);
    expect((await t.rest('GET', '/v1/knowledge-bases', { key: made.body.key })).status).toBe(200);
    const listed = await t.rest('GET', '/v1/api-keys', admin);
    expect(JSON.stringify(listed.body)).not.toContain(made.body.key);
    expect((await t.rest('DELETE', `/v1/api-keys/${made.body.id}`, admin)).status).toBe(200);
    expect((await t.rest('GET', '/v1/knowledge-bases', { key: made.body.key })).status).toBe(401);
    const bad = await t.rest('POST', '/v1/api-keys', { ...admin, json: { name: '', scopes: ['agent'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/name.*scopes/s);
  });

  const login = (username: string, password: string, client: string) =>
    t.rest('POST', '/v1/auth/login', { json: { tenantId: DEMO_TENANT, username, password }, headers: { 'x-forwarded-for': client } });

  it('limits sign-in per username and address and per address, never locking a user out from elsewhere, and audits failures', async () => {
    // Someone guessing lee's password from one address is stopped there...
    const guesses: number[] = [];
    for (let i = 0; i < 11; i += 1) guesses.push((await login('lee', `wrong guess ${i}`, '203.0.113.7')).status);
    expect(guesses).toEqual([...Array<number>(10).fill(401), 429]);
    // ...and lee, at her own address, still signs in.
    expect((await login('lee', TEST_PASSWORD, '198.51.100.20')).status).toBe(200);

    // Password spraying: one password for many usernames from one address stops after 30 failures.
    const sprayed = [];
    for (let i = 0; i < 31; i += 1) sprayed.push(await login(`sprayed-${i}`, 'Winter2026!', '203.0.113.8'));
    expect(sprayed.slice(0, 30).map((r) => r.status)).toEqual(Array<number>(30).fill(401));
    expect(sprayed[30].status).toBe(429);
    expect(sprayed[30].body.error.message).toMatch(
      /^rate limit reached \(sign_in_client\): at most 30 failed sign-ins per minute from this address; retry in \d+ s$/,
    );
    // Successful sign-ins do not use up an address's failures: the office behind it keeps working.
    for (let i = 0; i < 3; i += 1) expect((await login('lee', TEST_PASSWORD, '203.0.113.9')).status).toBe(200);

    // The failures are in the audit log: the account's username when it exists, never the password
    // nor a username that names nobody (it may be a password typed in the wrong field).
    const lees = await waitFor(async () => {
      const res = await t.rest('GET', '/v1/audit?action=auth.sign_in&actor=lee', admin);
      return res.body.entries.length >= 10 && res.body.entries;
    }, "lee's failed sign-ins in the audit log");
    expect(
      lees.every((e: { event: object }) =>
        expect
          .objectContaining({ outcome: 'refused', detail: 'UNAUTHENTICATED', resource: { type: 'user', id: 'lee' } })
          .asymmetricMatch(e.event),
      ),
    ).toBe(true);
    const unknown = await waitFor(async () => {
      const res = await t.rest('GET', '/v1/audit?action=auth.sign_in&limit=500', admin);
      const list = res.body.entries.filter((e: { event: { detail: string } }) => e.event.detail === 'UNKNOWN_USER');
      return list.length >= 30 && res.body.entries;
    }, 'the failed sign-ins of unknown usernames in the audit log');
    const logged = JSON.stringify(unknown);
    expect(logged).not.toMatch(/wrong guess|Winter2026|sprayed-/);
  });

  it('counts admin calls against the key whatever the case of their path', async () => {
    const key = await t.createApiKey(DEMO_TENANT, ['kb:admin']);
    const { rows } = await t.db.query('select id from gateway.api_keys where key_prefix = $1', [key.slice(0, 12)]);
    const redis = t.redis();
    try {
      const window = `t:${DEMO_TENANT}:rl:key:${rows[0].id}`;
      for (const path of ['/v1/knowledge-bases', '/V1/knowledge-bases', '/V1/KNOWLEDGE-BASES'])
        expect([path, (await t.rest('GET', path, { key })).status]).toEqual([path, 200]);
      expect(await redis.zcard(window)).toBe(3);
    } finally {
      redis.disconnect();
    }
  });

  it('ends a session at its maximum age however often it is refreshed', async () => {
    const session = await t.signIn(DEMO_TENANT, 'max', 'agent');
    const startedAgo = (seconds: number) =>
      t.db.query(`update gateway.refresh_tokens set session_started_at = now() - make_interval(secs => $2) where user_id = $1`, [
        session.userId,
        seconds,
      ]);
    // A minute before the default 30 days are up: refreshed, but only for the minute left.
    await startedAgo(30 * 24 * 3600 - 60);
    const late = await t.rest('POST', '/v1/auth/refresh', { json: { refreshToken: session.refreshToken } });
    expect(late.status).toBe(200);
    expect(late.body.refreshExpiresIn).toBeLessThanOrEqual(60);
    await startedAgo(30 * 24 * 3600 + 1);
    const over = await t.rest('POST', '/v1/auth/refresh', { json: { refreshToken: late.body.refreshToken } });
    expect(over.status).toBe(401);
    expect(over.body.error.message).toContain('maximum age');
  });

  it('lets only the holder, a senior agent or a supervisor move a ticket someone holds', async () => {
    const ticket = `/v1/agent/tickets/${unverified.ticketId}`;
    expect((await t.rest('POST', `${ticket}/claim`, agent)).status).toBe(200);
    const colleague = { headers: (await t.signIn(DEMO_TENANT, 'cole', 'agent')).headers };
    for (const [action, json] of [
      ['status', { status: 'open' }],
      ['status', { status: 'waiting_on_customer' }],
      ['resolve', { resolution: 'done' }],
      ['status', { status: 'closed' }],
    ] as const) {
      const res = await t.rest('POST', `${ticket}/${action}`, { ...colleague, json });
      expect([action, json, res.status, res.body.error?.code]).toEqual([action, json, 403, 'NOT_TICKET_HOLDER']);
    }
    expect((await t.db.query('select status, assignee_id from ticketing.tickets where id = $1', [unverified.ticketId])).rows[0]).toEqual({
      status: 'assigned',
      assignee_id: 'lee',
    });
    // The holder moves it; a senior agent may too.
    expect((await t.rest('POST', `${ticket}/status`, { ...agent, json: { status: 'waiting_on_customer' } })).body.status).toBe(
      'waiting_on_customer',
    );
    const resolved = await t.rest('POST', `${ticket}/resolve`, { ...senior, json: { resolution: 'Called back.' } });
    expect([resolved.status, resolved.body.status]).toEqual([200, 'resolved']);
  });

  it("masks a ticket's summary, notes and a phone or email customer id for an agent", async () => {
    const digits = String(parseInt(RUN, 16) % 10_000_000).padStart(7, '0');
    const phone = `+1555${digits}`;
    const email = `zed.${RUN}@example.com`;
    const byPhone = await t.say(phone, undefined, 'I want to talk to a human agent');
    const byEmail = await t.say(email, undefined, 'I want to talk to a human agent');
    const phoneTicket = await ticketOf(byPhone.conversationId);
    const emailTicket = await ticketOf(byEmail.conversationId);
    expect(
      (
        await t.rest('POST', `/v1/agent/tickets/${phoneTicket.id}/notes`, {
          ...senior,
          json: { text: `Prefers mail to ${email}, or +1 415-555-0123` },
        })
      ).status,
    ).toBe(201);

    const seen = await t.rest('GET', `/v1/agent/tickets/${phoneTicket.id}`, agent);
    expect(seen.status).toBe(200);
    expect(seen.body.customerId).toMatch(/^\+?•••\d{4}$/);
    expect(seen.body.notes[0].text).toBe('Prefers mail to z•••@example.com, or •••0123');
    const listed = await t.rest('GET', '/v1/agent/tickets?limit=200', agent);
    const transcript = await t.rest('GET', `/v1/agent/conversations/${byEmail.conversationId}/transcript`, agent);
    expect(transcript.body.customerId).toBe('z•••@example.com');
    for (const body of [seen.body, listed.body, transcript.body])
      expect(JSON.stringify(body)).not.toMatch(new RegExp(`${digits}|zed\\.${RUN}|415-555`));
    expect(listed.body.tickets.find((x: { id: string }) => x.id === emailTicket.id).customerId).toBe('z•••@example.com');

    // A senior agent sees the ticket as it is.
    const clear = await t.rest('GET', `/v1/agent/tickets/${phoneTicket.id}`, senior);
    expect(clear.body.customerId).toBe(phone);
    expect(clear.body.notes[0].text).toContain(email);
  });
});
