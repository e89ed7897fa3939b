// A protobuf reply as the REST API's JSON body: canonical protobuf JSON with every field present,
// so clients see zero values and empty lists instead of missing keys.
import { toJsonString, type DescMessage, type MessageShape } from '@switchboard/contracts';

export function jsonBody<S extends DescMessage>(schema: S, message: MessageShape<S>): unknown {
  return JSON.parse(toJsonString(schema, message, { alwaysEmitImplicit: true }));
}
