// The reference order/CRM system (tau-retail data in Postgres) as a tenant's order system. A change
// runs tau-bench's semantics (retail.operations) in one transaction that locks the rows it reads;
// the tool service has already checked the caller may act on the record, so it runs as operator.
import type { ReferenceStore } from '../reference/reference.repository';
import type { Order, Product, User } from '../reference/retail-records';
import { OperationScope, OPERATOR } from '../tools/operation-scope';
import { RETAIL_TOOLS } from '../tools/retail-tools.schema';
import type { ChangeArguments, ChangeOperation, OrderSystem } from './order-system';

export class ReferenceOrderSystem implements OrderSystem {
  constructor(
    private readonly store: ReferenceStore,
    private readonly tenantId: string,
  ) {}

  user(userId: string): Promise<User | undefined> {
    return this.store.reader(this.tenantId).user(userId);
  }

  order(orderId: string): Promise<Order | undefined> {
    return this.store.reader(this.tenantId).order(orderId);
  }

  product(productId: string): Promise<Product | undefined> {
    return this.store.reader(this.tenantId).product(productId);
  }

  products(): Promise<Product[]> {
    return this.store.reader(this.tenantId).products();
  }

  userIdByEmail(email: string): Promise<string | undefined> {
    return this.store.reader(this.tenantId).userIdByEmail(email);
  }

  userIdByNameZip(firstName: string, lastName: string, zip: string): Promise<string | undefined> {
    return this.store.reader(this.tenantId).userIdByNameZip(firstName, lastName, zip);
  }

  change(operation: ChangeOperation, args: ChangeArguments): Promise<Order | User> {
    const run = RETAIL_TOOLS[operation].run as (scope: OperationScope, args: ChangeArguments) => Promise<Order | User>;
    return this.store.transaction(this.tenantId, (records) => run(new OperationScope(records, OPERATOR, records), args));
  }
}
