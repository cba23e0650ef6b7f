/**
 * Integration triggers (seed 003): an outbound start for a phone number, and a lead pushed into a
 * flow. Both start the flow's published version through the runtime (durable on return); the lead
 * route authenticates against the flow's own settings, since its caller may hold no API token.
 */
import { ParleyError } from "../../core/errors.ts";
import {
  type ChannelRecord,
  createLead,
  type FlowRecord,
  getChannel,
  getFlow,
  type LeadRecord,
  listChannels,
  updateContact,
} from "../../store/index.ts";
import { findFlowById } from "../../store/repositories/flow-lookups.ts";
import { hasRole, type Principal } from "../principal.ts";
import type { OperatorContext } from "./executions-context.ts";
import { checkLeadAuth, type LeadRequestCredentials, readLeadAuth } from "./triggers-lead-auth.ts";

export interface OutboundTrigger {
  flowId: string;
  phone: string;
  channelId?: string | undefined;
  name?: string | undefined;
  variables?: Record<string, unknown> | undefined;
  idempotencyKey?: string | undefined;
}

export interface LeadInput {
  phone: string;
  name?: string | undefined;
  channelId?: string | undefined;
  /** Every field sent, the phone and name included: they become the flow's trigger variables. */
  fields: Record<string, unknown>;
}

/** Starts a published flow for a phone number; `queued` is false for a repeated idempotency key. */
export async function triggerOutbound(
  ctx: OperatorContext,
  organizationId: string,
  input: OutboundTrigger,
): Promise<{ contactId: string; queued: boolean }> {
  const flow = await getFlow(ctx.db, organizationId, input.flowId);
  if (!flow) throw flowNotFound(input.flowId);
  return startForPhone(ctx, flow, input.channelId, input.phone, input.name, {
    trigger: { kind: "api", ...(input.variables ? { variables: input.variables } : {}) },
    ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
  });
}

/**
 * Checks the caller against the flow's lead-auth settings (or accepts an API token or session of
 * the flow's organization, editor and above), records the lead and starts the flow for its phone.
 */
export async function receiveLead(
  ctx: OperatorContext,
  flowId: string,
  principal: Principal | null,
  credentials: LeadRequestCredentials,
  input: LeadInput,
): Promise<{ lead: LeadRecord; queued: boolean }> {
  const flow = await findFlowById(ctx.db, flowId);
  if (principal && flow && principal.organizationId !== flow.organizationId) throw flowNotFound(flowId);
  const byToken = principal !== null && hasRole(principal, "editor");
  const auth = flow ? readLeadAuth(flow.graph.settings) : null;
  const byFlowAuth = auth !== null && checkLeadAuth(auth, credentials);
  if (!byToken && !byFlowAuth) throw new ParleyError("UNAUTHENTICATED", "Missing or wrong lead credentials.");
  if (!flow) throw flowNotFound(flowId);
  const started = await startForPhone(ctx, flow, input.channelId, input.phone, input.name, {
    trigger: { kind: "lead", variables: input.fields },
  });
  const lead = await createLead(ctx.db, {
    organizationId: flow.organizationId,
    flowId: flow.id,
    contactId: started.contactId,
    payload: input.fields,
    at: ctx.now(),
  });
  return { lead, queued: started.queued };
}

async function startForPhone(
  ctx: OperatorContext,
  flow: FlowRecord,
  channelId: string | undefined,
  phone: string,
  name: string | undefined,
  start: { trigger: { kind: "api" | "lead"; variables?: Record<string, unknown> }; idempotencyKey?: string },
): Promise<{ contactId: string; queued: boolean }> {
  if (!flow.isPublished || !flow.publishedVersionId) {
    throw new ParleyError("VALIDATION_FAILED", "The flow is not published; publish it before triggering it.");
  }
  const channel = await resolveChannel(ctx, flow.organizationId, channelId);
  const digits = phone.replace(/[^0-9]/g, "");
  const started = await ctx.runtime.startFlow({
    organizationId: flow.organizationId,
    flowId: flow.id,
    channelId: channel.id,
    contactExternalId: channel.kind === "whatsapp" ? digits : phone.trim(),
    ...(name ? { contactName: name } : {}),
    trigger: start.trigger,
    ...(start.idempotencyKey ? { idempotencyKey: start.idempotencyKey } : {}),
  });
  await updateContact(ctx.db, flow.organizationId, started.contactId, { phone: digits, at: ctx.now() });
  return started;
}

/** The channel asked for, else the organization's first WhatsApp number. */
async function resolveChannel(
  ctx: OperatorContext,
  organizationId: string,
  channelId: string | undefined,
): Promise<ChannelRecord> {
  if (channelId !== undefined) {
    const channel = await getChannel(ctx.db, organizationId, channelId);
    if (!channel)
      throw new ParleyError("NOT_FOUND", `No channel with id "${channelId}" in this organization.`);
    return channel;
  }
  const [whatsapp] = await listChannels(ctx.db, organizationId, { kind: "whatsapp" });
  if (!whatsapp) {
    throw new ParleyError(
      "VALIDATION_FAILED",
      "The organization has no WhatsApp channel; pass `channel_id`.",
    );
  }
  return whatsapp;
}

function flowNotFound(flowId: string): ParleyError {
  return new ParleyError("FLOW_NOT_FOUND", `No flow with id "${flowId}" in this organization.`);
}
