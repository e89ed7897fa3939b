// Error codes live in the protos, one enum per API (RetrievalErrorCode, TicketingErrorCode, …). On
// the wire a request-reply error carries the value's name without its prefix ("TICKET_NOT_FOUND"):
// the key of the generated TypeScript enum.

/** The wire names of one API's error codes: its enum's keys, less UNSPECIFIED. */
export type ErrorCodeName<E extends Record<string, string | number>> = Exclude<keyof E & string, 'UNSPECIFIED'>;

/** Every wire name of an API's error codes, read from its generated enum. */
export function errorCodeNames<E extends Record<string, string | number>>(codes: E): Array<ErrorCodeName<E>> {
  return Object.keys(codes).filter((key): key is ErrorCodeName<E> => Number.isNaN(Number(key)) && key !== 'UNSPECIFIED');
}
