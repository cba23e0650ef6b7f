/**
 * Every error leaves the server as `{ error, code, details? }` with the status from the error table:
 * validation issues name each field, framework errors get stable codes, and a 500 never leaks a stack.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { ERROR_CATALOGUE, type ErrorCode, ParleyError } from "../core/errors.ts";
import { getErrorStatus } from "./error-status.ts";

export interface ErrorBody {
  error: string;
  code: ErrorCode;
  details?: unknown;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** Installs the error handler and the 404 handler on the root instance (children inherit them). */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const parley = toParleyError(error);
    const status = getErrorStatus(parley.code);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    else request.log.info({ code: parley.code }, parley.message);
    return sendError(reply, parley);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new ParleyError("NOT_FOUND", `No route ${request.method} ${request.url.split("?")[0]}`)),
  );
}

/** Sends a ParleyError with its mapped status and the documented body shape. */
export function sendError(reply: FastifyReply, error: ParleyError): FastifyReply {
  const body: ErrorBody = { error: error.message, code: error.code };
  if (error.details !== undefined) body.details = error.details;
  return reply.code(getErrorStatus(error.code)).type("application/json; charset=utf-8").send(body);
}

/** Maps anything thrown inside a request to a ParleyError with a stable code. */
export function toParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  if (!isFastifyError(error)) return internalError();
  if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
    return new ParleyError("VALIDATION_FAILED", undefined, listFieldProblems(error));
  }
  if (isResponseSerializationError(error)) return internalError();
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ParleyError("PAYLOAD_TOO_LARGE");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ParleyError("VALIDATION_FAILED", "Unsupported Content-Type; send application/json.");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new ParleyError("INVALID_JSON");
  }
  return fromStatus(error);
}

function fromStatus(error: FastifyError): ParleyError {
  const status = error.statusCode ?? 500;
  const byStatus: Record<number, ErrorCode> = {
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
  };
  const code = byStatus[status];
  if (code) return new ParleyError(code);
  // Other 4xx come from the framework or plugins with messages written for clients.
  if (status >= 400 && status < 500) return new ParleyError("VALIDATION_FAILED", error.message);
  return internalError();
}

function listFieldProblems(error: FastifyError): FieldProblem[] {
  const location = error.validationContext ?? "body";
  return (error.validation ?? []).map((issue) => {
    const field = issue.instancePath.split("/").filter(Boolean).join(".");
    return { path: field ? `${location}.${field}` : location, message: issue.message ?? "is invalid" };
  });
}

function internalError(): ParleyError {
  return new ParleyError("INTERNAL_ERROR", ERROR_CATALOGUE.INTERNAL_ERROR);
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && ("code" in error || "statusCode" in error || "validation" in error);
}
