// A caller over one of its rate limits. Both edges map it the same way: gRPC RESOURCE_EXHAUSTED
// with a `retry-after` trailer, HTTP 429 with a `Retry-After` header.
export type RateLimitName = 'api_key' | 'user' | 'customer' | 'sign_in' | 'sign_in_client' | 'sign_in_tenant';

export class RateLimitedError extends Error {
  constructor(
    readonly limit: RateLimitName,
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}
