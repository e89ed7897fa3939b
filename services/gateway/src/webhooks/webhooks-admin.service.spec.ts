import { create, ListWebhookDeadLettersResultSchema, Rpcs } from '@switchboard/contracts';
import type { RpcClient } from '@switchboard/messaging';
import { GatewayError } from '../gateway.errors';
import { WebhooksAdminService } from './webhooks-admin.service';

const caller = { tenantId: 'acme' } as never;

function service() {
  const request = jest.fn().mockResolvedValue(create(ListWebhookDeadLettersResultSchema, {}));
  return { request, admin: new WebhooksAdminService({ request } as unknown as RpcClient) };
}

it.each([
  ['ftp://example.com/hook', 'url must use http or https'],
  ['https://user:pw@example.com/hook', 'url must not contain credentials'],
  ['/relative', 'url must be an absolute http or https URL'],
])('refuses %s with a 400 naming the field, without calling integration', async (url, problem) => {
  const { request, admin } = service();
  const failure = admin.create(caller, { url, eventTypes: ['ticket.*'] });
  await expect(failure).rejects.toBeInstanceOf(GatewayError);
  await expect(failure).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(problem) });
  expect(request).not.toHaveBeenCalled();
});

it('refuses unknown event types and non-UUID ids, naming the field', async () => {
  const { admin } = service();
  await expect(admin.create(caller, { url: 'https://example.com/hook', eventTypes: ['orders.*'] })).rejects.toMatchObject({
    message: expect.stringMatching(/^eventTypes must/),
  });
  await expect(admin.replay(caller, 'nope')).rejects.toMatchObject({ message: 'deliveryId must be a UUID' });
});

it("takes the tenant from the caller's key, not the body", async () => {
  const { request, admin } = service();
  await expect(admin.deadLetters(caller, '10')).resolves.toEqual({ deadLetters: [] });
  expect(request).toHaveBeenCalledWith(
    Rpcs.webhooksDeadLetters,
    expect.objectContaining({ tenantId: 'acme', limit: 10 }),
    expect.anything(),
  );
});
