/**
 * A Runtime stand-in for route tests: records what the routes hand it, dedupes inbound messages like
 * the durable inbox does (channel + external message id), and can be told to fail.
 */
import type { ChannelSender, InboundMessage, SendOutcome, StatusUpdate } from "../../src/core/channel.ts";
import type { OutboundMessage } from "../../src/core/messages.ts";
import { createInProcessLiveBus } from "../../src/runtime/live-bus.ts";
import type { AcceptResult, ChannelDirectory, Runtime } from "../../src/runtime/runtime-types.ts";
import type { ChannelRecord } from "../../src/store/index.ts";

export interface AcceptCall {
  channel: ChannelRecord;
  messages: InboundMessage[];
}

export interface FakeRuntime extends Runtime {
  /** Every acceptInbound call that succeeded, in order. */
  readonly accepted: AcceptCall[];
  /** Every status batch applyStatuses received, in order. */
  readonly statuses: StatusUpdate[][];
  /** Makes acceptInbound and applyStatuses throw `error` until cleared with `failWith(null)`. */
  failWith(error: Error | null): void;
  /** All accepted messages, flattened. */
  acceptedMessages(): InboundMessage[];
  reset(): void;
}

/** Creates a fake Runtime; methods the webhook routes never call throw so a wrong call is loud. */
export function createFakeRuntime(): FakeRuntime {
  const accepted: AcceptCall[] = [];
  const statuses: StatusUpdate[][] = [];
  const seen = new Set<string>();
  let failure: Error | null = null;
  const unused = (name: string) => async (): Promise<never> => {
    throw new Error(`fake runtime: ${name} is not implemented`);
  };

  return {
    bus: createInProcessLiveBus(),
    accepted,
    statuses,
    failWith(error) {
      failure = error;
    },
    acceptedMessages: () => accepted.flatMap((call) => call.messages),
    reset() {
      accepted.length = 0;
      statuses.length = 0;
      seen.clear();
      failure = null;
    },
    async acceptInbound(channel, messages): Promise<AcceptResult> {
      if (failure) throw failure;
      accepted.push({ channel, messages });
      let fresh = 0;
      for (const message of messages) {
        const key = `${channel.id}\u0000${message.externalMessageId}`;
        if (!seen.has(key)) fresh++;
        seen.add(key);
      }
      return { accepted: fresh, duplicates: messages.length - fresh };
    },
    async applyStatuses(updates) {
      if (failure) throw failure;
      statuses.push(updates);
      return updates.length;
    },
    startFlow: unused("startFlow"),
    handback: unused("handback"),
    cancelExecution: unused("cancelExecution"),
    sendAgentReply: unused("sendAgentReply"),
    start: async () => {},
    stop: async () => {},
    idle: async () => {},
  };
}

export interface RecordingSender extends ChannelSender {
  readonly markedRead: string[];
  readonly answeredCallbacks: string[];
  markAsRead(messageId: string): Promise<void>;
  answerCallbackQuery(id: string): Promise<void>;
}

/**
 * A directory whose one sender records mark-as-read and callback answers (WhatsApp's and Telegram's
 * extras together) and never sends; `failing` makes those extras reject.
 */
export function createRecordingDirectory(options: { failing?: boolean } = {}): ChannelDirectory & {
  sender: RecordingSender;
} {
  const markedRead: string[] = [];
  const answeredCallbacks: string[] = [];
  const settle = async (list: string[], id: string) => {
    list.push(id);
    if (options.failing) throw new Error("sender extra failed");
  };
  const sender: RecordingSender = {
    kind: "whatsapp",
    enforcesWindow: true,
    markedRead,
    answeredCallbacks,
    send: async (_to: string, _message: OutboundMessage): Promise<SendOutcome> => ({
      ok: false,
      retryable: false,
      code: "CHANNEL_SEND_FAILED",
      message: "recording sender does not send",
    }),
    markAsRead: (id) => settle(markedRead, id),
    answerCallbackQuery: (id) => settle(answeredCallbacks, id),
  };
  return { sender, senderFor: () => sender };
}
