// Passwords are kept as argon2id hashes (OWASP's minimum: 19 MiB, 2 passes, 1 lane). Checking a
// password for an unknown user still costs one hash, so response times do not reveal which
// usernames exist.
import { hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

@Injectable()
export class PasswordHasher {
  private decoy?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  /** Whether `password` matches `stored`; with no stored hash, spends the same time and says no. */
  async matches(stored: string | undefined, password: string): Promise<boolean> {
    if (stored === undefined) {
      this.decoy ??= hash('decoy password, never matches', OPTIONS);
      await verify(await this.decoy, password).catch(() => false);
      return false;
    }
    return verify(stored, password).catch(() => false);
  }
}

/** Why `password` is not acceptable for a new account, or undefined. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string') return 'is required (a string)';
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}
