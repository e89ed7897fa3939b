// How the reference CRM keeps its records at rest: each user and order document encrypted as a
// whole (FieldCipher, bound to the tenant, the column and the record's id), and the two lookups that search inside
// users (by email; by name and zip) answered from blind indexes, HMACs of the normalised values
// under a key of their own that data-key rotation leaves alone.
import { BlindIndex, FieldCipher, type BlindIndexConfig, type DecryptOptions, type EncryptionConfig } from '@switchboard/crypto';
import type { Order, User } from './retail-records';

export type ReferenceSealingConfig = EncryptionConfig & BlindIndexConfig;

const USER_DOCUMENT = 'integration.users.document';
const ORDER_DOCUMENT = 'integration.orders.document';
const EMAIL_INDEX = 'integration.users.email_index';
const NAME_ZIP_INDEX = 'integration.users.name_zip_index';

export interface UserIndexes {
  emailIndex: string;
  nameZipIndex: string;
}

export class ReferenceSealing {
  constructor(
    readonly cipher: FieldCipher,
    private readonly index: BlindIndex,
  ) {}

  /** Built (and validated: a missing production key stops start-up, naming the variable) from configuration. */
  static fromConfig(config: ReferenceSealingConfig): ReferenceSealing {
    return new ReferenceSealing(FieldCipher.fromConfig(config), BlindIndex.fromConfig(config));
  }

  /** The stored form of a user's JSON text, bound to the tenant and the user id (a document moved to another row does not decrypt). */
  sealUser(tenantId: string, userId: string, json: string): string {
    return this.cipher.seal(json, { tenantId, column: USER_DOCUMENT, row: userId });
  }

  /** `legacy`: sealing rows from before encryption, which production reads nowhere else. */
  openUser(tenantId: string, userId: string, stored: string, options?: DecryptOptions): User {
    return JSON.parse(this.cipher.decrypt(stored, { tenantId, column: USER_DOCUMENT, row: userId }, options)) as User;
  }

  sealOrder(tenantId: string, orderId: string, json: string): string {
    return this.cipher.seal(json, { tenantId, column: ORDER_DOCUMENT, row: orderId });
  }

  openOrder(tenantId: string, orderId: string, stored: string, options?: DecryptOptions): Order {
    return JSON.parse(this.cipher.decrypt(stored, { tenantId, column: ORDER_DOCUMENT, row: orderId }, options)) as Order;
  }

  /** Lower-cased, as the lookup always matched emails regardless of case. */
  emailIndex(tenantId: string, email: string): string {
    return this.index.of(email.toLowerCase(), { tenantId, purpose: EMAIL_INDEX });
  }

  /** First name, last name and zip, lower-cased, as a JSON array (so no separator can make two triples collide). */
  nameZipIndex(tenantId: string, firstName: string, lastName: string, zip: string): string {
    return this.index.of(JSON.stringify([firstName, lastName, zip].map((s) => s.toLowerCase())), { tenantId, purpose: NAME_ZIP_INDEX });
  }

  userIndexes(tenantId: string, user: User): UserIndexes {
    return {
      emailIndex: this.emailIndex(tenantId, user.email ?? ''),
      nameZipIndex: this.nameZipIndex(tenantId, user.name?.first_name ?? '', user.name?.last_name ?? '', user.address?.zip ?? ''),
    };
  }
}
