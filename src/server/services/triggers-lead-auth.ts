/**
 * Per-flow authentication of the lead webhook (seed 003's legacy modes), read from the flow graph's
 * `settings.leadAuth`: none, API key (`X-API-Key`), HTTP Basic, a static Bearer token, or an HMAC-SHA256
 * of the raw body (`X-Signature`, hex, optional `sha256=` prefix). Every secret is compared in
 * constant time, and a flow with no settings accepts nobody but an API token of its organization.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const leadAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  z.object({ type: z.literal("api_key"), key: z.string().min(1) }),
  z.object({ type: z.literal("basic"), username: z.string().min(1), password: z.string().min(1) }),
  z.object({ type: z.literal("bearer"), token: z.string().min(1) }),
  z.object({ type: z.literal("hmac"), secret: z.string().min(1) }),
]);
export type LeadAuth = z.infer<typeof leadAuthSchema>;

export interface LeadRequestCredentials {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/** The flow's lead-auth settings; null when absent or malformed (then only API tokens are accepted). */
export function readLeadAuth(settings: unknown): LeadAuth | null {
  if (settings === null || typeof settings !== "object" || !("leadAuth" in settings)) return null;
  const parsed = leadAuthSchema.safeParse(settings.leadAuth);
  return parsed.success ? parsed.data : null;
}

/** True when the request carries what the flow's lead-auth settings ask for. */
export function checkLeadAuth(auth: LeadAuth, request: LeadRequestCredentials): boolean {
  switch (auth.type) {
    case "none":
      return true;
    case "api_key":
      return equalSecrets(header(request, "x-api-key"), auth.key);
    case "bearer":
      return equalSecrets(
        /^Bearer\s+(\S+)\s*$/i.exec(header(request, "authorization") ?? "")?.[1],
        auth.token,
      );
    case "basic": {
      const encoded = /^Basic\s+(\S+)\s*$/i.exec(header(request, "authorization") ?? "")?.[1];
      const decoded = encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
      return equalSecrets(decoded, `${auth.username}:${auth.password}`);
    }
    case "hmac": {
      const given = header(request, "x-signature") ?? header(request, "x-signature-256");
      const expected = createHmac("sha256", auth.secret).update(request.rawBody).digest("hex");
      return equalSecrets(given?.replace(/^sha256=/i, "").toLowerCase(), expected);
    }
  }
}

function header(request: LeadRequestCredentials, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** Constant-time comparison of equal-length digests, so neither content nor length leaks through timing. */
function equalSecrets(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHmac("sha256", "parley:lead-auth").update(given).digest();
  const b = createHmac("sha256", "parley:lead-auth").update(expected).digest();
  return timingSafeEqual(a, b);
}
