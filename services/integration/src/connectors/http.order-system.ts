// A company's own order/CRM API as a tenant's order system: each operation is one configured
// request, and each answer is mapped onto the tau-retail data model, so the tools and their rules
// work unchanged. A 404 means "not found"; another 4xx is the API declining, passed on as a refusal
// with the API's own explanation when it gives one.
import type { Order, Product, User } from '../reference/retail-records';
import { Refusal } from '../tools/tool.errors';
import type { ConnectorRequest, FieldMapping, ResolvedHttpConnector } from './connector-config';
import type { CrmHttpClient, CrmResponse } from './crm-http.client';
import { mapRecord, valueAt } from './field-mapping';
import type { ChangeArguments, ChangeOperation, OrderSystem } from './order-system';

type Arguments = Record<string, string | string[]>;

export class HttpOrderSystem implements OrderSystem {
  constructor(
    private readonly config: ResolvedHttpConnector,
    private readonly http: CrmHttpClient,
  ) {}

  user(userId: string): Promise<User | undefined> {
    return this.record('get_user', { user_id: userId }, this.config.mapping.user);
  }

  order(orderId: string): Promise<Order | undefined> {
    return this.record('get_order', { order_id: orderId }, this.config.mapping.order);
  }

  product(productId: string): Promise<Product | undefined> {
    return this.record('get_product', { product_id: productId }, this.config.mapping.product);
  }

  async products(): Promise<Product[]> {
    const { request, body } = await this.read('list_products', {});
    const list = found(body, request);
    if (!Array.isArray(list))
      throw new Error(
        `the order system's list_products answer has no list at "${request.result ?? '(the whole body)'}"; fix operations.list_products.result in CONNECTOR_CONFIG`,
      );
    return list.map((p) => mapRecord<Product>(this.config.mapping.product, p));
  }

  userIdByEmail(email: string): Promise<string | undefined> {
    return this.userId('find_user_id_by_email', { email });
  }

  userIdByNameZip(firstName: string, lastName: string, zip: string): Promise<string | undefined> {
    return this.userId('find_user_id_by_name_zip', { first_name: firstName, last_name: lastName, zip });
  }

  async change(operation: ChangeOperation, args: ChangeArguments): Promise<Order | User> {
    const request = this.config.operations[operation];
    if (!request)
      throw new Refusal(`${operation} is not offered by this shop's order system; transfer the customer to a human agent for it`);
    const response = await this.send(operation, request, args);
    const changesAccount = operation === 'modify_user_address';
    if (response.status === 404) throw new Refusal(changesAccount ? 'Error: user not found' : 'Error: order not found');
    if (response.status >= 400) throw new Refusal(this.declined(operation, response));
    return mapRecord(changesAccount ? this.config.mapping.user : this.config.mapping.order, found(response.body, request));
  }

  private async record<T>(
    operation: 'get_user' | 'get_order' | 'get_product',
    args: Arguments,
    mapping: FieldMapping,
  ): Promise<T | undefined> {
    const { request, status, body } = await this.read(operation, args);
    if (status === 404) return undefined;
    const record = found(body, request);
    return record === undefined || record === null ? undefined : mapRecord<T>(mapping, record);
  }

  private async userId(operation: 'find_user_id_by_email' | 'find_user_id_by_name_zip', args: Arguments): Promise<string | undefined> {
    const { request, status, body } = await this.read(operation, args);
    if (status === 404) return undefined;
    const id = found(body, request);
    return typeof id === 'string' && id !== '' ? id : undefined;
  }

  private async read(
    operation: keyof ResolvedHttpConnector['operations'],
    args: Arguments,
  ): Promise<CrmResponse & { request: ConnectorRequest }> {
    const request = this.config.operations[operation]!;
    const response = await this.send(operation, request, args);
    if (response.status >= 400 && response.status !== 404) throw new Refusal(this.declined(operation, response));
    return { ...response, request };
  }

  private send(operation: string, request: ConnectorRequest, args: Arguments): Promise<CrmResponse> {
    return this.http.send({
      operation,
      method: request.method,
      path: expandPath(request.path, args),
      body: request.body === undefined ? undefined : expandBody(request.body, args),
    });
  }

  /** The API's own explanation (its error message, or a bare string body), else the status. */
  private declined(operation: string, response: CrmResponse): string {
    const message = typeof response.body === 'string' ? response.body : valueAt(response.body, this.config.errorMessage);
    return typeof message === 'string' && message !== '' ? message : `the order system declined ${operation} (HTTP ${response.status})`;
  }
}

function found(body: unknown, request: ConnectorRequest): unknown {
  return request.result ? valueAt(body, request.result) : body;
}

/** "/orders/{order_id}" with the argument URL-encoded ("#W1" becomes "%23W1"). */
export function expandPath(template: string, args: Arguments): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!Object.hasOwn(args, name))
      throw new Error(`the path "${template}" in CONNECTOR_CONFIG uses {${name}}, which is not an argument of this operation`);
    return encodeURIComponent(String(args[name]));
  });
}

/** A body template: "{name}" becomes the argument itself (keeping lists as lists); other values stay. */
export function expandBody(template: unknown, args: Arguments): unknown {
  if (typeof template === 'string') {
    const whole = /^\{(\w+)\}$/.exec(template);
    return whole && Object.hasOwn(args, whole[1]) ? args[whole[1]] : template;
  }
  if (Array.isArray(template)) return template.map((t) => expandBody(t, args));
  if (template && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, expandBody(v, args)]));
  return template;
}
