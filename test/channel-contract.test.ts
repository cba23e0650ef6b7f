/**
 * The channel contract (STYLE.md habit 8): one suite, run against every ChannelSender with its fake
 * platform. Each harness adds an "inspect" adapter that reads back what the platform received.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramSender } from "../src/channels/telegram/index.ts";
import { createWebChannel } from "../src/channels/web/index.ts";
import { createWhatsAppSender } from "../src/channels/whatsapp/index.ts";
import type { ChannelSender } from "../src/core/channel.ts";
import type { ListRow, OutboundMessage } from "../src/core/messages.ts";
import { startFakeGraphApi } from "./fakes/graph-api.ts";
import { startFakeTelegramApi } from "./fakes/telegram-api.ts";

/** One platform call (a Graph /messages POST, a Bot API send*, a web history entry) as a user sees it. */
interface Delivery {
  texts: string[];
  buttonTitles: string[];
}

interface ChannelHarness {
  sender: ChannelSender;
  recipient: string;
  /** Longest visible text one delivery may carry, and longest button or row title. */
  limits: { text: number; buttonTitle: number };
  /** What the platform received since the previous call to inspect(). */
  inspect(): Delivery[];
  /** Makes the platform throttle every send; absent when the channel cannot be throttled. */
  throttle?(): void;
  close(): Promise<void>;
}

interface ChannelCase {
  name: string;
  start(): Promise<ChannelHarness>;
}

/** Reads the calls a fake recorded since the previous read, each turned into what the user saw. */
function createCursor<T>(calls: T[], read: (call: T) => Delivery | undefined): () => Delivery[] {
  let seen = 0;
  return () => {
    const fresh = calls.slice(seen);
    seen = calls.length;
    return fresh.flatMap((call) => read(call) ?? []);
  };
}

function readStrings(values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === "string" && value.length > 0);
}

/** Walks recorded JSON without casts: `readPath(body, "text", "body")`. */
function readPath(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== "object" || current === null) return undefined;
    current = Object.getOwnPropertyDescriptor(current, key)?.value;
  }
  return current;
}

function readList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const whatsapp: ChannelCase = {
  name: "whatsapp",
  async start() {
    const api = await startFakeGraphApi({ accessToken: "contract-token" });
    const sender = createWhatsAppSender({
      graphUrl: api.url,
      apiVersion: "v21.0",
      phoneNumberId: "1000000001",
      accessToken: "contract-token",
      timeoutMs: 5000,
    });
    return {
      sender,
      recipient: "15550000001",
      limits: { text: 4096, buttonTitle: 24 },
      inspect: createCursor(api.calls, (call) => {
        if (!call.path.endsWith("/messages") || call.status !== 200) return undefined;
        const body = call.body;
        const interactive = readPath(body, "interactive");
        const media = readPath(body, String(readPath(body, "type")));
        const rows = readList(readPath(interactive, "action", "sections")).flatMap((section) =>
          readList(readPath(section, "rows")),
        );
        const buttons = readList(readPath(interactive, "action", "buttons")).map((b) => readPath(b, "reply"));
        return {
          texts: readStrings([
            readPath(body, "text", "body"),
            readPath(interactive, "header", "text"),
            readPath(interactive, "body", "text"),
            readPath(interactive, "footer", "text"),
            readPath(media, "caption"),
            readPath(body, "template", "name"),
          ]),
          buttonTitles: readStrings([...buttons, ...rows].map((choice) => readPath(choice, "title"))),
        };
      }),
      throttle: () => api.setFaults({ failureRate: 1, failureKinds: ["429"] }),
      async close() {
        await sender.close();
        await api.close();
      },
    };
  },
};

const telegram: ChannelCase = {
  name: "telegram",
  async start() {
    const api = await startFakeTelegramApi();
    const sender = createTelegramSender({ apiUrl: api.url, botToken: api.botToken, timeoutMs: 5000 });
    return {
      sender,
      recipient: "100000001",
      limits: { text: 4096, buttonTitle: 64 },
      inspect: createCursor(api.calls, (call) => {
        if (!call.method.startsWith("send") || call.status !== 200) return undefined;
        const markup = call.body.reply_markup as
          | { inline_keyboard?: Array<Array<{ text: string }>> }
          | undefined;
        return {
          texts: readStrings([call.body.text, call.body.caption]),
          buttonTitles: (markup?.inline_keyboard ?? []).flat().map((button) => button.text),
        };
      }),
      throttle: () => api.setFaults({ failureRate: 1, failureKinds: ["429"] }),
      async close() {
        await sender.close();
        await api.close();
      },
    };
  },
};

const web: ChannelCase = {
  name: "web",
  async start() {
    const channel = createWebChannel();
    const recipient = "tester-1";
    let lastId: string | undefined;
    return {
      sender: channel,
      recipient,
      limits: { text: Number.POSITIVE_INFINITY, buttonTitle: 24 },
      inspect() {
        const fresh = channel.history(recipient, lastId);
        lastId = fresh.at(-1)?.id ?? lastId;
        return fresh.map(({ rendered }) => ({
          texts: readStrings([rendered.header, rendered.text, rendered.footer]),
          buttonTitles: [...rendered.buttons, ...(rendered.list?.rows ?? [])].map((choice) => choice.title),
        }));
      },
      close: () => channel.close?.() ?? Promise.resolve(),
    };
  },
};

const CHANNELS: ChannelCase[] = [whatsapp, telegram, web];

const twelveRows: ListRow[] = Array.from({ length: 12 }, (_, i) => ({
  id: `row-${i + 1}`,
  title: `Row ${i + 1}`,
}));
const longText = Array.from(
  { length: 250 },
  (_, i) => `Sentence ${String(i).padStart(3, "0")} is here.`,
).join(" ");

interface MessageCase {
  name: string;
  message: OutboundMessage;
  check(deliveries: Delivery[], harness: ChannelHarness): void;
}

const MESSAGE_CASES: MessageCase[] = [
  {
    name: "text",
    message: { type: "text", text: "Hello from the contract suite" },
    check: (deliveries) => {
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.texts).toContain("Hello from the contract suite");
    },
  },
  {
    name: "3 buttons",
    message: {
      type: "buttons",
      body: "Which one?",
      buttons: [
        { id: "a", title: "First" },
        { id: "b", title: "Second" },
        { id: "c", title: "The third choice, longer" },
      ],
    },
    check: (deliveries) => {
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.texts.join("\n")).toContain("Which one?");
      expect(deliveries[0]?.buttonTitles.slice(0, 2)).toEqual(["First", "Second"]);
      expect(deliveries[0]?.buttonTitles).toHaveLength(3);
    },
  },
  {
    name: "12-row list, page 0",
    message: { type: "list", body: "Pick a row", buttonText: "Rows", rows: twelveRows },
    check: (deliveries) => {
      expect(deliveries).toHaveLength(1);
      const titles = deliveries[0]?.buttonTitles.filter((title) => title !== "Rows");
      expect(titles).toEqual([...twelveRows.slice(0, 9).map((row) => row.title), "More options"]);
    },
  },
  {
    name: "12-row list, page 1",
    message: { type: "list", body: "Pick a row", buttonText: "Rows", rows: twelveRows, page: 1 },
    check: (deliveries) => {
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.buttonTitles.filter((title) => title !== "Rows")).toEqual([
        "Row 10",
        "Row 11",
        "Row 12",
      ]);
    },
  },
  {
    name: "media",
    message: {
      type: "media",
      mediaType: "image",
      url: "https://cdn.example.test/box.jpg",
      caption: "The box",
    },
    check: (deliveries) => {
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.texts).toContain("The box");
    },
  },
  {
    name: "template",
    message: {
      type: "template",
      name: "order_update",
      language: "en",
      params: ["A12345"],
      buttons: ["Track"],
    },
    check: (deliveries) => {
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.texts.join("\n")).toContain("order_update");
    },
  },
  {
    name: "5000-char text",
    message: { type: "text", text: longText },
    check: (deliveries, harness) => {
      expect(longText.length).toBeGreaterThan(5000);
      expect(deliveries).toHaveLength(harness.limits.text < longText.length ? 2 : 1);
      const texts = deliveries.flatMap((delivery) => delivery.texts);
      for (const text of texts) expect(text.length).toBeLessThanOrEqual(harness.limits.text);
      expect(texts.join(" ").replace(/\s+/g, " ")).toBe(longText);
    },
  },
];

describe.each(CHANNELS)("channel contract: $name", (channel) => {
  let harness: ChannelHarness;

  beforeAll(async () => {
    harness = await channel.start();
  });

  afterAll(async () => {
    await harness.close();
  });

  it.each(MESSAGE_CASES)("sends $name", async ({ message, check }) => {
    harness.inspect();
    const outcome = await harness.sender.send(harness.recipient, message);
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    expect(outcome.ok && outcome.providerMessageId).toMatch(/\S/);
    const deliveries = harness.inspect();
    check(deliveries, harness);
    for (const title of deliveries.flatMap((delivery) => delivery.buttonTitles)) {
      expect(title.length).toBeLessThanOrEqual(harness.limits.buttonTitle);
    }
  });

  it("declares its kind and window rule", () => {
    expect(harness.sender.kind).toBe(channel.name);
    expect(harness.sender.enforcesWindow).toBe(channel.name === "whatsapp");
  });

  it("returns a retryable outcome when throttled, or never throttles at all", async () => {
    if (harness.throttle) {
      harness.throttle();
      const outcome = await harness.sender.send(harness.recipient, { type: "text", text: "Slow down" });
      expect(outcome).toMatchObject({ ok: false, retryable: true });
      return;
    }
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        harness.sender.send(harness.recipient, { type: "text", text: `Burst ${i}` }),
      ),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  });
});
