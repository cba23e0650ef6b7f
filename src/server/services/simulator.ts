/**
 * The builder's test panel: a session runs a frozen snapshot of the draft (never the published
 * version) on the organization's web channel, as a contact whose external id is the session id.
 * Sessions live in a bounded in-memory map; a session id from another organization is a 404.
 */
import { randomUUID } from "node:crypto";
import { buildWebInbound, type WebMessage } from "../../channels/web/index.ts";
import { ParleyError } from "../../core/errors.ts";
import { validateFlow } from "../../engine/validate-flow.ts";
import {
  type ChannelRecord,
  createChannel,
  createFlowSnapshot,
  type ExecutionRecord,
  findActiveExecution,
  getChannel,
  listChannels,
  listExecutions,
} from "../../store/index.ts";
import type { OperatorContext } from "./executions-context.ts";
import { notFound } from "./scope.ts";

export const SIMULATOR_CHANNEL_NAME = "Web simulator";
const SIMULATOR_CONTACT_NAME = "Simulator";

export interface SimulatorSession {
  id: string;
  organizationId: string;
  flowId: string;
  channelId: string;
  contactId: string;
}

export interface SimulatorPoll {
  messages: WebMessage[];
  execution: ExecutionRecord | null;
}

/** The simulator's operations over one runtime and web channel; `maxSessions` bounds memory. */
export function createSimulator(ctx: OperatorContext, maxSessions = 1000) {
  const sessions = new Map<string, SimulatorSession>();

  function remember(session: SimulatorSession): void {
    sessions.set(session.id, session);
    while (sessions.size > maxSessions) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      sessions.delete(oldest);
      ctx.webChannel.clear(oldest);
    }
  }

  function requireSession(organizationId: string, sessionId: string): SimulatorSession {
    const session = sessions.get(sessionId);
    if (!session || session.organizationId !== organizationId) throw notFound("simulator session", sessionId);
    return session;
  }

  return {
    /** Snapshots the draft and starts it; FLOW_INVALID when the draft cannot run. */
    async start(organizationId: string, flowId: string): Promise<SimulatorSession> {
      const snapshot = await createFlowSnapshot(ctx.db, organizationId, flowId, ctx.now());
      if (!snapshot)
        throw new ParleyError("FLOW_NOT_FOUND", `No flow with id "${flowId}" in this organization.`);
      const validation = validateFlow(snapshot.graph);
      if (!validation.valid) {
        throw new ParleyError("FLOW_INVALID", "Fix the flow's errors before testing it.", validation.errors);
      }
      const channel = await ensureWebChannel(ctx, organizationId);
      const id = randomUUID();
      const started = await ctx.runtime.startFlow({
        organizationId,
        flowId,
        channelId: channel.id,
        contactExternalId: id,
        contactName: SIMULATOR_CONTACT_NAME,
        trigger: { kind: "api" },
        versionId: snapshot.id,
      });
      const session = { id, organizationId, flowId, channelId: channel.id, contactId: started.contactId };
      remember(session);
      return session;
    },

    /** Hands what the tester typed or tapped to the runtime, like any inbound message. */
    async send(
      organizationId: string,
      sessionId: string,
      input: { text?: string | undefined; optionId?: string | undefined },
    ): Promise<void> {
      const session = requireSession(organizationId, sessionId);
      const channel = await getChannel(ctx.db, organizationId, session.channelId);
      if (!channel) throw notFound("simulator session", sessionId);
      const message = buildWebInbound(
        session.id,
        {
          ...(input.text === undefined ? {} : { text: input.text }),
          ...(input.optionId === undefined ? {} : { optionId: input.optionId }),
        },
        ctx.now(),
        `sim-${randomUUID()}`,
      );
      await ctx.runtime.acceptInbound(channel, [message]);
    },

    /** The bot's messages after `afterId` and the session's newest execution. */
    async poll(organizationId: string, sessionId: string, afterId?: string): Promise<SimulatorPoll> {
      const session = requireSession(organizationId, sessionId);
      const newest = await listExecutions(ctx.db, organizationId, {
        contactId: session.contactId,
        page: 1,
        pageSize: 1,
      });
      return { messages: ctx.webChannel.history(session.id, afterId), execution: newest.rows[0] ?? null };
    },

    /** Cancels the session's execution and forgets its messages. */
    async end(organizationId: string, sessionId: string): Promise<void> {
      const session = requireSession(organizationId, sessionId);
      const active = await findActiveExecution(ctx.db, organizationId, session.contactId);
      if (active) await ctx.runtime.cancelExecution(organizationId, active.id);
      sessions.delete(session.id);
      ctx.webChannel.clear(session.id);
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;

/** The organization's web channel, created as "Web simulator" on first use. */
async function ensureWebChannel(ctx: OperatorContext, organizationId: string): Promise<ChannelRecord> {
  const [existing] = await listChannels(ctx.db, organizationId, { kind: "web" });
  if (existing) return existing;
  return createChannel(ctx.db, {
    organizationId,
    kind: "web",
    name: SIMULATOR_CHANNEL_NAME,
    at: ctx.now(),
  });
}
