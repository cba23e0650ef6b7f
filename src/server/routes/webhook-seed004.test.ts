import { afterEach, describe, expect, it } from "vitest";
import {
  readWhatsAppFixture,
  SECRETS,
  signedHeaders,
  startWebhookHarness,
  type WebhookHarness,
} from "../../../test/support/webhook-harness.ts";

let harness: WebhookHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("seed 004's /webhook", () => {
  it("GET echoes hub.challenge for VERIFY_TOKEN and refuses anything else", async () => {
    harness = await startWebhookHarness();
    const url = (token: string) => `/webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=42`;
    const ok = await harness.app.inject(url(SECRETS.env.verifyToken));
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe("42");
    expect((await harness.app.inject(url("wrong"))).statusCode).toBe(403);
    expect((await harness.app.inject("/webhook?hub.challenge=42")).statusCode).toBe(403);
  });

  it("POST accepts a body signed with WHATSAPP_APP_SECRET and routes it to the number's channel", async () => {
    harness = await startWebhookHarness();
    const body = readWhatsAppFixture("02-inbound-interactive-button-reply.json");
    const response = await harness.app.inject({
      method: "POST",
      url: "/webhook",
      payload: body,
      headers: signedHeaders(body, SECRETS.env.appSecret),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", accepted: 1, duplicates: 0 });
    expect(harness.runtime.accepted[0]?.channel.id).toBe(harness.channels.wa.id);
    expect(harness.runtime.acceptedMessages()[0]?.kind).toBe("button");
  });

  it("POST refuses a body signed with a channel's own secret", async () => {
    harness = await startWebhookHarness();
    const body = readWhatsAppFixture("01-inbound-text.json");
    const response = await harness.app.inject({
      method: "POST",
      url: "/webhook",
      payload: body,
      headers: signedHeaders(body, SECRETS.wa.appSecret),
    });
    expect(response.statusCode).toBe(401);
    expect(harness.runtime.accepted).toEqual([]);
  });
});
