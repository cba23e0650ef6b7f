import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer } from "../../../test/support/server.ts";
import { getChannel } from "../../store/index.ts";
import { readChannelSecrets } from "../channel-secrets.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer({ publicUrl: "https://bots.example.com" });
});
afterAll(async () => {
  await server.close();
});

const SECRETS = ["EAAG-access-token-value", "app-secret-value", "verify-token-value", "tg-secret_value"];
let phone = 1_000_000;
function whatsapp(overrides: Record<string, unknown> = {}) {
  phone += 1;
  return {
    kind: "whatsapp",
    name: "Support line",
    phone_number_id: String(phone),
    access_token: SECRETS[0],
    app_secret: SECRETS[1],
    verify_token: SECRETS[2],
    ...overrides,
  };
}

function expectNoSecrets(text: string) {
  for (const secret of [...SECRETS, "123456:AAbot-token"]) expect(text).not.toContain(secret);
}

describe("channels", () => {
  it("creates a WhatsApp channel: secrets sealed, shown only as set, webhook URL given", async () => {
    const response = await server.call("admin", "POST", "/api/channels", { payload: whatsapp() });
    expect(response.statusCode).toBe(201);
    expectNoSecrets(response.body);
    const channel = response.json();
    expect(channel).toMatchObject({
      kind: "whatsapp",
      phone_number_id: String(phone),
      external_id: String(phone),
      secrets: { access_token: true, app_secret: true, verify_token: true },
      webhook_url: `https://bots.example.com/api/webhook/whatsapp/${channel.id}`,
    });
    const stored = await getChannel(server.database.db, server.orgs.a.id, channel.id);
    if (!stored) throw new Error("not stored");
    expect(stored.secretsEncrypted).not.toContain(SECRETS[0]);
    expect(readChannelSecrets(stored, server.secretBox)).toEqual({
      kind: "whatsapp",
      token: SECRETS[0],
      appSecret: SECRETS[1],
      verifyToken: SECRETS[2],
    });
    for (const url of ["/api/channels", `/api/channels/${channel.id}`]) {
      const read = await server.call("admin", "GET", url);
      expect(read.statusCode).toBe(200);
      expectNoSecrets(read.body);
    }
  });

  it("creates Telegram and web channels", async () => {
    const telegram = await server.call("admin", "POST", "/api/channels", {
      payload: { kind: "telegram", name: "TG", bot_token: "123456:AAbot-token", webhook_secret: SECRETS[3] },
    });
    expect(telegram.statusCode).toBe(201);
    expectNoSecrets(telegram.body);
    expect(telegram.json()).toMatchObject({
      external_id: "123456",
      secrets: { bot_token: true, webhook_secret: true },
      webhook_url: `https://bots.example.com/api/webhook/telegram/${telegram.json().id}`,
    });
    const web = await server.call("admin", "POST", "/api/channels", {
      payload: { kind: "web", name: "Sim" },
    });
    expect(web.json()).toMatchObject({ kind: "web", secrets: {}, webhook_url: null });
    const again = await server.call("owner", "POST", "/api/channels", {
      payload: { kind: "telegram", name: "TG2", bot_token: "123456:other", webhook_secret: "s" },
      org: "b",
    });
    expect(again.statusCode).toBe(409);
  });

  it("answers 409 for a phone number already connected, in any organization", async () => {
    const first = await server.call("admin", "POST", "/api/channels", { payload: whatsapp() });
    const duplicate = { ...whatsapp(), phone_number_id: first.json().phone_number_id };
    const sameOrg = await server.call("admin", "POST", "/api/channels", { payload: duplicate });
    expect(sameOrg.statusCode).toBe(409);
    expect(sameOrg.json().code).toBe("CONFLICT");
    const otherOrg = await server.call("admin", "POST", "/api/channels", { payload: duplicate, org: "b" });
    expect(otherOrg.statusCode).toBe(409);
    const second = (await server.call("admin", "POST", "/api/channels", { payload: whatsapp() })).json();
    const moved = await server.call("admin", "PUT", `/api/channels/${second.id}`, {
      payload: { phone_number_id: first.json().phone_number_id },
    });
    expect(moved.statusCode).toBe(409);
  });

  it("names every missing credential and rejects fields of another kind", async () => {
    const response = await server.call("admin", "POST", "/api/channels", {
      payload: { kind: "whatsapp", name: "x", phone_number_id: "12a" },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "body.phone_number_id",
        "body.access_token",
        "body.app_secret",
        "body.verify_token",
      ]),
    );
    const web = (
      await server.call("admin", "POST", "/api/channels", { payload: { kind: "web", name: "W" } })
    ).json();
    const misplaced = await server.call("admin", "PUT", `/api/channels/${web.id}`, {
      payload: { access_token: "nope" },
    });
    expect(misplaced.statusCode).toBe(400);
    expect(misplaced.json().details[0].path).toBe("body.access_token");
  });

  it("updates a credential, keeping the others, and never echoes it", async () => {
    const channel = (await server.call("admin", "POST", "/api/channels", { payload: whatsapp() })).json();
    const response = await server.call("admin", "PUT", `/api/channels/${channel.id}`, {
      payload: { name: "Renamed", access_token: "rotated-token-value" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain("rotated-token-value");
    expect(response.json()).toMatchObject({
      name: "Renamed",
      secrets: { access_token: true, app_secret: true },
    });
    const stored = await getChannel(server.database.db, server.orgs.a.id, channel.id);
    if (!stored) throw new Error("not stored");
    expect(readChannelSecrets(stored, server.secretBox)).toMatchObject({
      token: "rotated-token-value",
      appSecret: SECRETS[1],
    });
  });

  it("is for admins of the owning organization only", async () => {
    const channel = (await server.call("admin", "POST", "/api/channels", { payload: whatsapp() })).json();
    expect((await server.call(null, "GET", "/api/channels")).statusCode).toBe(401);
    expect((await server.call("editor", "GET", "/api/channels")).statusCode).toBe(403);
    expect((await server.call("editor", "POST", "/api/channels", { payload: whatsapp() })).statusCode).toBe(
      403,
    );
    for (const method of ["GET", "PUT", "DELETE"] as const) {
      const response = await server.call("owner", method, `/api/channels/${channel.id}`, {
        org: "b",
        ...(method === "PUT" && { payload: { name: "stolen" } }),
      });
      expect(response.statusCode).toBe(404);
    }
    const others = await server.call("owner", "GET", "/api/channels", { org: "b" });
    expect(others.body).not.toContain(channel.id);
    expect((await server.call("admin", "DELETE", `/api/channels/${channel.id}`)).statusCode).toBe(204);
    expect((await server.call("admin", "GET", `/api/channels/${channel.id}`)).statusCode).toBe(404);
  });
});
