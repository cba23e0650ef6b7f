/**
 * The builder's test panel (editor and above): start a session on the draft, send text or a tapped
 * option, poll the bot's messages and the execution, end the session. Runs on the web channel.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import { presentSimulatorPoll, simulatorPollSchema } from "../presenters/execution-simulator.ts";
import { commonErrors, SECURITY } from "../presenters/shared.ts";
import { getOrganizationId } from "../services/scope.ts";
import type { Simulator } from "../services/simulator.ts";

const TAGS = ["simulator"];
const sessionParams = z.object({ id: z.string().min(1).max(200) });
const startBody = z.object({ flow_id: z.string().min(1).max(200) });
const messageBody = z
  .object({
    text: z.string().max(4096).optional(),
    option_id: z.string().min(1).max(256).optional(),
  })
  .refine((body) => body.text !== undefined || body.option_id !== undefined, {
    message: "Send `text`, `option_id` or both.",
  });
const pollQuery = z.object({ after: z.string().min(1).max(200).optional().describe("Last message id seen") });

/** Registers POST /api/simulator/sessions and the session's messages and DELETE routes. */
export function createSimulatorRoutes(simulator: Simulator): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/api/simulator/sessions",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Start a test session on the flow's current draft",
          security: SECURITY,
          body: startBody,
          response: { 201: z.object({ session_id: z.string(), contact_id: z.string() }), ...commonErrors },
        },
      },
      async (request, reply) => {
        const session = await simulator.start(getOrganizationId(request.principal), request.body.flow_id);
        return reply.code(201).send({ session_id: session.id, contact_id: session.contactId });
      },
    );

    app.post(
      "/api/simulator/sessions/:id/messages",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Send what the tester typed (`text`) or tapped (`option_id`)",
          security: SECURITY,
          params: sessionParams,
          body: messageBody,
          response: { 202: z.object({ accepted: z.literal(true) }), ...commonErrors },
        },
      },
      async (request, reply) => {
        const { text, option_id } = request.body;
        await simulator.send(getOrganizationId(request.principal), request.params.id, {
          text,
          optionId: option_id,
        });
        return reply.code(202).send({ accepted: true as const });
      },
    );

    app.get(
      "/api/simulator/sessions/:id/messages",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "The bot's messages after `after`, and the session's execution",
          security: SECURITY,
          params: sessionParams,
          querystring: pollQuery,
          response: { 200: simulatorPollSchema, ...commonErrors },
        },
      },
      async (request) =>
        presentSimulatorPoll(
          await simulator.poll(getOrganizationId(request.principal), request.params.id, request.query.after),
        ),
    );

    app.delete(
      "/api/simulator/sessions/:id",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "End a session: cancel its execution and forget its messages",
          security: SECURITY,
          params: sessionParams,
          response: { 204: z.null(), ...commonErrors },
        },
      },
      async (request, reply) => {
        await simulator.end(getOrganizationId(request.principal), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
