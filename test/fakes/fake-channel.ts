/**
 * An in-process channel sender for runtime tests: records every send in order and answers with
 * scripted outcomes (retryable or permanent failures) when told to.
 */
import type { ChannelKind, ChannelSender, SendOutcome } from "../../src/core/channel.ts";
import type { OutboundMessage } from "../../src/core/messages.ts";

export interface FakeSend {
  to: string;
  message: OutboundMessage;
  at: number;
}

export interface FakeChannel extends ChannelSender {
  sent: FakeSend[];
  /** Every call, including refused ones. */
  attempts: FakeSend[];
  /** The next outcomes to return, in order, before falling back to success. */
  script: SendOutcome[];
  /** Decides an outcome per message; undefined → next scripted outcome or success. */
  decide?: (to: string, message: OutboundMessage) => SendOutcome | undefined;
  textsTo(to: string): string[];
}

export function createFakeChannel(kind: ChannelKind = "whatsapp"): FakeChannel {
  let counter = 0;
  const channel: FakeChannel = {
    kind,
    enforcesWindow: kind === "whatsapp",
    sent: [],
    attempts: [],
    script: [],
    async send(to, message) {
      const record = { to, message, at: Date.now() };
      channel.attempts.push(record);
      const outcome = channel.decide?.(to, message) ??
        channel.script.shift() ?? { ok: true, providerMessageId: `fake-${++counter}` };
      if (outcome.ok) channel.sent.push(record);
      return outcome;
    },
    textsTo(to) {
      return channel.sent
        .filter((send) => send.to === to)
        .map(({ message }) => {
          switch (message.type) {
            case "text":
              return message.text;
            case "buttons":
            case "list":
              return message.body;
            case "media":
              return message.caption ?? message.url;
            default:
              return `template:${message.name}`;
          }
        });
    },
  };
  return channel;
}
