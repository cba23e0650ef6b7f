/**
 * Live events as WebSocket frames: seed 000's `execution_update` payload (`{type, data: {event,
 * execution_id, status, current_node_id, visited_nodes, timestamp}}`) and message status updates.
 */
import type { LiveEvent } from "../../runtime/live-bus.ts";

export interface LiveFrame {
  type: LiveEvent["type"];
  data: Record<string, unknown>;
}

/** The frame a subscriber receives for one bus event; the organization id never leaves the server. */
export function presentLiveEvent(event: LiveEvent): LiveFrame {
  switch (event.type) {
    case "execution_update":
      return {
        type: "execution_update",
        data: {
          event: event.event,
          execution_id: event.executionId,
          flow_id: event.flowId,
          contact_id: event.contactId,
          status: event.status,
          current_node_id: event.currentNodeId,
          visited_nodes: event.visitedNodes,
          timestamp: event.timestamp,
        },
      };
    case "message_update":
      return {
        type: "message_update",
        data: {
          event: event.event,
          message_id: event.messageId,
          contact_id: event.contactId,
          execution_id: event.executionId,
          status: event.status,
          error_code: event.errorCode ?? null,
          timestamp: event.timestamp,
        },
      };
    case "inbound_message":
      return {
        type: "inbound_message",
        data: {
          contact_id: event.contactId,
          channel_id: event.channelId,
          text: event.text,
          timestamp: event.timestamp,
        },
      };
  }
}
