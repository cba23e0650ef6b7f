/**
 * Access tokens: HS256 JWTs for session cookies (users) and bearer tokens (API clients), signed with
 * a key derived from the master secret so the token key never doubles as the encryption key.
 */
import { hkdfSync } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { type Principal, ROLES, type Role } from "./principal.ts";

const ISSUER = "parley";
const AUDIENCE = "parley-api";
const ALGORITHM = "HS256";

export type AccessTokenSubject =
  | { organizationId: string; userId: string; clientId?: undefined; role: Role }
  | { organizationId: string; clientId: string; userId?: undefined; role: Role };

const claimsSchema = z.object({
  sub: z.string().min(1),
  org: z.string().min(1),
  role: z.enum(ROLES),
  kind: z.enum(["user", "api"]),
});

/** Derives the 32-byte token-signing key from the master secret key (HKDF-SHA256). */
export function deriveTokenKey(secretKey: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secretKey, new Uint8Array(0), "parley:access-token:v1", 32));
}

/** Signs a JWT for a user or an API client that expires after `ttlSec` seconds. */
export function signAccessToken(
  subject: AccessTokenSubject,
  key: Uint8Array,
  ttlSec: number,
): Promise<string> {
  const isUser = subject.userId !== undefined;
  return new SignJWT({ org: subject.organizationId, role: subject.role, kind: isUser ? "user" : "api" })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setSubject(isUser ? subject.userId : subject.clientId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSec)
    .sign(key);
}

/** The principal of a valid, unexpired token signed with `key`; null for anything else. */
export async function verifyAccessToken(token: string, key: Uint8Array): Promise<Principal | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["exp", "sub"],
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return null;
    const { sub, org, role, kind } = claims.data;
    return kind === "user"
      ? { kind, organizationId: org, userId: sub, role }
      : { kind, organizationId: org, clientId: sub, role };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
