import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGraphApi, startFakeGraphApi } from "../../test/fakes/graph-api.ts";
import { createWebChannel } from "../channels/web/index.ts";
import type { ChannelRecord } from "../store/index.ts";
import { createSecretBox } from "../store/index.ts";
import { createChannelDirectory } from "./channel-directory.ts";
import { type ChannelSecrets, sealChannelSecrets } from "./channel-secrets.ts";
import type { Config } from "./config.ts";

const box = createSecretBox(Buffer.alloc(32, 3));

function channel(kind: ChannelRecord["kind"], fields: Partial<ChannelRecord> = {}): ChannelRecord {
  return {
    id: `${kind}-1`,
    organizationId: "o1",
    botId: null,
    kind,
    name: `${kind} test`,
    externalId: null,
    config: {},
    secretsEncrypted: null,
    createdAt: 0,
    updatedAt: 0,
    ...fields,
  };
}

function sealed(secrets: ChannelSecrets): string {
  return sealChannelSecrets(secrets, box);
}

describe("createChannelDirectory", () => {
  let graph: FakeGraphApi;
  let config: Pick<Config, "whatsapp" | "whatsappGraph" | "telegram">;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    config = {
      whatsappGraph: { graphUrl: graph.url, graphApiVersion: "v23.0", ratePerSecond: 80 },
      whatsapp: {
        token: "env-token",
        phoneNumberId: "1",
        verifyToken: "v",
        appSecret: undefined,
        graphApiVersion: "v23.0",
        graphUrl: graph.url,
        ratePerSecond: 80,
      },
      telegram: undefined,
    };
  });
  afterAll(() => graph.close());

  it("sends WhatsApp messages through the configured Graph URL with the channel's own token", async () => {
    const directory = createChannelDirectory({ config, secretBox: box, webChannel: createWebChannel() });
    const wa = channel("whatsapp", {
      externalId: "106000000000009",
      secretsEncrypted: sealed({ kind: "whatsapp", token: "channel-token" }),
    });
    const outcome = await directory.senderFor(wa).send("15550001111", { type: "text", text: "Hello" });
    expect(outcome.ok).toBe(true);
    const [call] = graph.messagesTo("15550001111");
    expect(call?.path).toBe("/v23.0/106000000000009/messages");
    expect(call?.headers.authorization).toBe("Bearer channel-token");
    await directory.close();
  });

  it("caches one sender per channel and rebuilds it when the row changes", async () => {
    const directory = createChannelDirectory({ config, secretBox: box, webChannel: createWebChannel() });
    const secretsEncrypted = sealed({ kind: "whatsapp", token: "t" });
    const wa = channel("whatsapp", { externalId: "1", secretsEncrypted });
    const first = directory.senderFor(wa);
    expect(directory.senderFor({ ...wa })).toBe(first);
    expect(directory.senderFor({ ...wa, updatedAt: 5 })).not.toBe(first);
    await directory.close();
  });

  it("hands out the shared web channel for web rows", () => {
    const webChannel = createWebChannel();
    const directory = createChannelDirectory({ config, secretBox: box, webChannel });
    expect(directory.senderFor(channel("web"))).toBe(webChannel);
  });

  it("fails permanently, saying what is missing, when credentials are not set", async () => {
    const directory = createChannelDirectory({ config, secretBox: box, webChannel: createWebChannel() });
    const wa = await directory.senderFor(channel("whatsapp")).send("1", { type: "text", text: "x" });
    expect(wa).toMatchObject({ ok: false, retryable: false, code: "CHANNEL_SEND_FAILED" });
    expect(wa.ok ? "" : wa.message).toMatch(/phone_number_id and the access token are not set/);
    const tg = await directory.senderFor(channel("telegram")).send("1", { type: "text", text: "x" });
    expect(tg.ok ? "" : tg.message).toMatch(/bot token is not set/);
  });

  it("fails permanently when the secrets were sealed with another key", async () => {
    const other = createSecretBox(Buffer.alloc(32, 4));
    const wa = channel("whatsapp", {
      externalId: "1",
      secretsEncrypted: sealChannelSecrets({ kind: "whatsapp", token: "t" }, other),
    });
    const directory = createChannelDirectory({ config, secretBox: box, webChannel: createWebChannel() });
    const outcome = await directory.senderFor(wa).send("1", { type: "text", text: "x" });
    expect(outcome.ok ? "" : outcome.message).toMatch(/PARLEY_SECRET_KEY/);
  });
});
