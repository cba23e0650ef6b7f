import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { deriveTokenKey, signAccessToken, verifyAccessToken } from "./tokens.ts";

const key = deriveTokenKey(Buffer.alloc(32, 1));
const otherKey = deriveTokenKey(Buffer.alloc(32, 2));

describe("access tokens", () => {
  it("round-trips a user and an API client principal", async () => {
    const userToken = await signAccessToken(
      { organizationId: "org1", userId: "u1", role: "editor" },
      key,
      60,
    );
    expect(await verifyAccessToken(userToken, key)).toEqual({
      kind: "user",
      organizationId: "org1",
      userId: "u1",
      role: "editor",
    });
    const apiToken = await signAccessToken(
      { organizationId: "org1", clientId: "c1", role: "admin" },
      key,
      60,
    );
    expect(await verifyAccessToken(apiToken, key)).toEqual({
      kind: "api",
      organizationId: "org1",
      clientId: "c1",
      role: "admin",
    });
  });

  it("rejects a token signed with another key, tampered, expired or garbage", async () => {
    const token = await signAccessToken({ organizationId: "org1", userId: "u1", role: "owner" }, key, 60);
    expect(await verifyAccessToken(token, otherKey)).toBeNull();
    const [header, , signature] = token.split(".");
    const forged = Buffer.from(
      JSON.stringify({ sub: "u1", org: "org2", role: "owner", kind: "user" }),
    ).toString("base64url");
    expect(await verifyAccessToken(`${header}.${forged}.${signature}`, key)).toBeNull();
    const expired = await signAccessToken({ organizationId: "org1", userId: "u1", role: "owner" }, key, -10);
    expect(await verifyAccessToken(expired, key)).toBeNull();
    expect(await verifyAccessToken("not-a-jwt", key)).toBeNull();
  });

  it("rejects a validly signed token with unknown claims or without expiry", async () => {
    const badRole = await new SignJWT({ org: "o", role: "god", kind: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .setIssuer("parley")
      .setAudience("parley-api")
      .setExpirationTime("1m")
      .sign(key);
    expect(await verifyAccessToken(badRole, key)).toBeNull();
    const noExpiry = await new SignJWT({ org: "o", role: "viewer", kind: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .setIssuer("parley")
      .setAudience("parley-api")
      .sign(key);
    expect(await verifyAccessToken(noExpiry, key)).toBeNull();
  });

  it("derives distinct keys from distinct secrets, deterministically", () => {
    expect(Buffer.from(key).equals(Buffer.from(deriveTokenKey(Buffer.alloc(32, 1))))).toBe(true);
    expect(Buffer.from(key).equals(Buffer.from(otherKey))).toBe(false);
  });
});
