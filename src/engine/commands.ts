/**
 * Seed 002's chat commands, configurable per flow: `/start` restarts the flow, `/reset` ends the
 * execution and clears its variables, `/help` sends the flow's help text.
 */
import type { Run } from "./advance.ts";

export const DEFAULT_HELP_TEXT = "Send /start to start over, or /reset to end this conversation.";

/** Handles a command if `text` is one and the flow enables it; returns true when handled. */
export function handleCommand(run: Run, text: string): boolean {
  const command = parseCommand(text);
  if (!command) return false;
  const { step } = run;
  const settings = step.flow.settings.commands;
  if (settings && settings[command] === false) return false;
  const state = step.state;
  const nodeRef = { id: state.currentNodeId ?? "", type: "command" };
  switch (command) {
    case "help":
      step.emit({
        type: "send",
        nodeId: nodeRef.id,
        message: { type: "text", text: step.flow.settings.helpText ?? DEFAULT_HELP_TEXT },
      });
      step.log(nodeRef, "sent_message", { input: { command: "/help" } });
      return true;
    case "reset":
      step.log(nodeRef, "exited", {
        input: { command: "/reset" },
        message: "Conversation reset by the contact.",
      });
      step.replaceVariables({});
      run.finish("reset");
      return true;
    case "start": {
      run.cancelPendingTimer();
      const trigger = state.trigger ?? { kind: "command" as const };
      step.log(nodeRef, "exited", {
        input: { command: "/start" },
        message: "Flow restarted by the contact.",
      });
      state.waiting = null;
      step.replaceVariables({});
      state.visitedNodes = [];
      run.runFromStart(trigger);
      return true;
    }
  }
}

/** `/start`, `/Reset@my_bot ` … → the command name; anything else → undefined. */
export function parseCommand(text: string): "start" | "reset" | "help" | undefined {
  if (!text.trimStart().startsWith("/")) return undefined;
  const word = text.trim().toLowerCase().split(/\s+/)[0] ?? "";
  const name = word.split("@")[0];
  if (name === "/start") return "start";
  if (name === "/reset") return "reset";
  if (name === "/help") return "help";
  return undefined;
}
