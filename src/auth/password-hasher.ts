import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/**
 * OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane. The
 * library's default algorithm is argon2id (its `Algorithm` is a const enum,
 * which isolated modules cannot read; a unit test checks the hash prefix).
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** argon2id password hashing, behind a provider so services can be unit-tested without it. */
@Injectable()
export class PasswordHasher {
  /** A hash of a random password, verified when the email is unknown so both paths take as long. */
  private readonly decoy: Promise<string> = hash(`decoy-${Math.random()}-${Date.now()}`, OPTIONS);

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash ?? (await this.decoy), password);
    } catch {
      return false;
    }
  }
}
