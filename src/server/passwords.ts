/**
 * Password hashing with argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane; the @node-rs/argon2
 * defaults). The encoded hash carries its parameters, so raising them later still verifies old hashes.
 */
import { hash, verify } from "@node-rs/argon2";

const MEMORY_KIB = 19_456;
const PASSES = 2;
const LANES = 1;
const ARGON2ID = 2; // Algorithm.Argon2id: the package exports a const enum, which isolatedModules cannot inline.

// Verified against when the user does not exist, so "no such user" takes as long as "wrong password".
let dummyHash: Promise<string> | undefined;

/** Hashes a password as an encoded `$argon2id$...` string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, {
    algorithm: ARGON2ID,
    memoryCost: MEMORY_KIB,
    timeCost: PASSES,
    parallelism: LANES,
  });
}

/**
 * True when `password` matches `encodedHash`. Pass `null` for an unknown user: a dummy hash is verified
 * so response time does not reveal which usernames exist. A malformed hash counts as a mismatch.
 */
export async function verifyPassword(password: string, encodedHash: string | null): Promise<boolean> {
  if (encodedHash === null) {
    dummyHash ??= hashPassword("parley-dummy-password");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(encodedHash, password);
  } catch {
    return false;
  }
}
