/**
 * The sender with its HTTP on the Graph worker thread, as the compiled server runs it: the worker is
 * the compiled module (dist/server/graph-thread-worker.js), this side the TypeScript one.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureServerBuild, SERVER_DIR } from "../../../scripts/build-server.mjs";
import { type FakeGraphApi, startFakeGraphApi } from "../../../test/fakes/graph-api.ts";
import { stopGraphThread } from "./graph-thread.ts";
import { createWhatsAppSender, type WhatsAppSender } from "./sender.ts";

const TOKEN = "EAAG-fake-token";
const USER = "15550002222";

let fake: FakeGraphApi;
let workerUrl: URL;
let sender: WhatsAppSender;

function threadedSender(overrides: { graphUrl?: string; accessToken?: string } = {}): WhatsAppSender {
  return createWhatsAppSender({
    graphUrl: overrides.graphUrl ?? fake.url,
    apiVersion: "v25.0",
    phoneNumberId: "106000000000001",
    accessToken: overrides.accessToken ?? TOKEN,
    timeoutMs: 300,
    threadWorkerUrl: workerUrl,
  });
}

beforeAll(async () => {
  await ensureServerBuild();
  workerUrl = pathToFileURL(join(SERVER_DIR, "graph-thread-worker.js"));
  fake = await startFakeGraphApi({ accessToken: TOKEN });
  sender = threadedSender();
}, 60_000);
afterAll(async () => {
  await sender.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe("WhatsApp sender on the Graph worker thread", () => {
  it("sends and reads the message id back", async () => {
    const outcome = await sender.send(USER, { type: "text", text: "Hello" });
    expect(outcome).toMatchObject({ ok: true });
    const response = fake.calls.at(-1)?.responseBody as { messages: Array<{ id: string }> };
    expect(outcome.ok && outcome.providerMessageId).toBe(response.messages[0]?.id);
    expect(fake.calls.at(-1)?.body).toMatchObject({ to: `+${USER}`, text: { body: "Hello" } });
  });

  it.each([
    ["429", { retryable: true, code: "CHANNEL_RATE_LIMITED", scope: "channel", retryAfterMs: 1000 }],
    ["500", { retryable: true, code: "CHANNEL_UNAVAILABLE", providerCode: "131000" }],
    // A timeout crosses the thread as an error named TimeoutError and is still classified as one.
    [
      "timeout",
      { retryable: true, code: "CHANNEL_UNAVAILABLE", message: expect.stringMatching(/within 300 ms/) },
    ],
  ] as const)("classifies fault %s as in-thread", async (kind, expected) => {
    fake.setFaults({ failureRate: 1, failureKinds: [kind] });
    expect(await sender.send(USER, { type: "text", text: "hi" })).toMatchObject({ ok: false, ...expected });
  });

  it("reports an unreachable Graph API as retryable", async () => {
    const gone = await startFakeGraphApi();
    await gone.close();
    const other = threadedSender({ graphUrl: gone.url, accessToken: "t" });
    const outcome = await other.send(USER, { type: "text", text: "hi" });
    await other.close();
    expect(outcome).toMatchObject({
      ok: false,
      retryable: true,
      message: expect.stringMatching(/unreachable/),
    });
  });

  it("downloads media bytes intact", async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.addMedia("1500000000000101", bytes, "image/jpeg");
    const media = await sender.downloadMedia("1500000000000101");
    expect(Buffer.isBuffer(media.bytes)).toBe(true);
    expect(media.bytes.equals(bytes)).toBe(true);
    expect(media.mimeType).toBe("image/jpeg");
  });

  it("keeps each client's own token, and a new client after the last one closed starts the thread again", async () => {
    const other = threadedSender({ accessToken: "bad" });
    const refused = await other.send(USER, { type: "text", text: "hi" });
    expect(refused).toMatchObject({ ok: false, providerCode: "190" });
    expect((await sender.send(USER, { type: "text", text: "still fine" })).ok).toBe(true);
    await other.close();
    await sender.close();
    await expect(sender.send(USER, { type: "text", text: "closed" })).resolves.toMatchObject({ ok: false });
    sender = threadedSender();
    expect((await sender.send(USER, { type: "text", text: "again" })).ok).toBe(true);
  });

  it("fails what was in flight when the thread dies, then carries on with a new one", async () => {
    fake.setFaults({ failureRate: 1, failureKinds: ["timeout"] });
    const inFlight = sender.send(USER, { type: "text", text: "lost with the thread" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stopGraphThread(workerUrl);
    expect(await inFlight).toMatchObject({
      ok: false,
      retryable: true,
      message: expect.stringMatching(/stopped/),
    });
    fake.reset();
    expect((await sender.send(USER, { type: "text", text: "after" })).ok).toBe(true);
    expect(fake.calls.at(-1)?.body).toMatchObject({ text: { body: "after" } });
  });
});
