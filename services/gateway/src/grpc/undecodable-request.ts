// grpc-js answers a request body that is not valid protobuf with INTERNAL ("Error deserializing
// request"), which reads as our fault. Each method's deserializer is wrapped so such a body
// reaches the controller as UNDECODABLE, which it refuses with INVALID_ARGUMENT.
import type { PackageDefinition } from '@grpc/proto-loader';

const MARK = Symbol('undecodable request');
export const UNDECODABLE: Readonly<Record<symbol, true>> = Object.freeze({ [MARK]: true });

export const isUndecodable = (request: unknown): boolean => typeof request === 'object' && request !== null && MARK in request;

export function tolerateUndecodableRequests(definition: PackageDefinition): void {
  for (const service of Object.values(definition)) {
    if ('format' in service) continue; // a message or enum type, not a service
    for (const method of Object.values(service)) {
      const decode = method.requestDeserialize;
      method.requestDeserialize = (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch {
          return UNDECODABLE;
        }
      };
    }
  }
}
