/**
 * Live events for the builder and dashboards (seed 000's `execution_update`, plus message status).
 * In-process by default; the Redis implementation for scale-out has the same interface.
 */
import type { DeliveryStatus } from "../core/channel.ts";
import type { ExecutionStatus } from "../core/execution.ts";

export type LiveEvent =
  | {
      type: "execution_update";
      event: "started" | "stepped" | "waiting" | "completed" | "failed" | "cancelled" | "expired";
      organizationId: string;
      executionId: string;
      flowId: string;
      contactId: string;
      status: ExecutionStatus;
      currentNodeId: string | null;
      visitedNodes: string[];
      timestamp: string;
    }
  | {
      type: "message_update";
      event: "queued" | "sent" | "delivered" | "read" | "failed";
      organizationId: string;
      contactId: string;
      messageId: number;
      executionId: string | null;
      status: DeliveryStatus;
      errorCode?: string;
      timestamp: string;
    }
  | {
      type: "inbound_message";
      organizationId: string;
      contactId: string;
      channelId: string;
      text: string;
      timestamp: string;
    };

export type LiveListener = (event: LiveEvent) => void;

export interface LiveBus {
  publish(event: LiveEvent): void;
  subscribe(listener: LiveListener): () => void;
  close?(): Promise<void>;
}

export function createInProcessLiveBus(): LiveBus {
  const listeners = new Set<LiveListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A broken subscriber must never break the runtime that publishes.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
