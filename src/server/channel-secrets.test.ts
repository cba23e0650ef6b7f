import { describe, expect, it } from "vitest";
import type { ChannelRecord } from "../store/index.ts";
import { createSecretBox } from "../store/index.ts";
import { readChannelSecrets, sealChannelSecrets } from "./channel-secrets.ts";

const box = createSecretBox(Buffer.alloc(32, 7));

function channel(kind: ChannelRecord["kind"], secretsEncrypted: string | null): ChannelRecord {
  return {
    id: "c1",
    organizationId: "o1",
    botId: null,
    kind,
    name: "test",
    externalId: null,
    config: {},
    secretsEncrypted,
    createdAt: 0,
    updatedAt: 0,
  };
}

describe("readChannelSecrets", () => {
  it("round-trips what sealChannelSecrets sealed, per kind", () => {
    const wa = sealChannelSecrets(
      { kind: "whatsapp", token: "t", appSecret: "s ünicode", verifyToken: "v" },
      box,
    );
    expect(readChannelSecrets(channel("whatsapp", wa), box)).toEqual({
      kind: "whatsapp",
      token: "t",
      appSecret: "s ünicode",
      verifyToken: "v",
    });
    const tg = sealChannelSecrets({ kind: "telegram", botToken: "1:a", webhookSecret: "w" }, box);
    expect(readChannelSecrets(channel("telegram", tg), box)).toEqual({
      kind: "telegram",
      botToken: "1:a",
      webhookSecret: "w",
    });
  });

  it("reads a channel without secrets as the kind with no fields", () => {
    expect(readChannelSecrets(channel("whatsapp", null), box)).toEqual({ kind: "whatsapp" });
    expect(readChannelSecrets(channel("web", null), box)).toEqual({ kind: "web" });
  });

  it("drops mistyped, empty and unknown fields", () => {
    const sealed = box.seal(JSON.stringify({ token: 5, appSecret: "", verifyToken: "v", extra: "x" }));
    expect(readChannelSecrets(channel("whatsapp", sealed), box)).toEqual({
      kind: "whatsapp",
      verifyToken: "v",
    });
    expect(readChannelSecrets(channel("telegram", box.seal("[1,2]")), box)).toEqual({ kind: "telegram" });
    expect(readChannelSecrets(channel("telegram", box.seal("not json")), box)).toEqual({ kind: "telegram" });
  });

  it("throws a clear error for secrets sealed with another key, without the secret in the message", () => {
    const other = createSecretBox(Buffer.alloc(32, 8));
    const sealed = other.seal(JSON.stringify({ appSecret: "top-secret" }));
    expect(() => readChannelSecrets(channel("whatsapp", sealed), box)).toThrow(
      /channel c1.*PARLEY_SECRET_KEY/,
    );
  });
});
