/** Helpers the settings tabs share. */
import { ApiError, errorMessage } from "../api.ts";

/** A readable message; a 403 on a settings page means the role is too low, so say which one is needed. */
export function settingsError(caught: unknown): string {
  if (caught instanceof ApiError && caught.status === 403)
    return "Only admins and owners can change this section. Ask an admin for access.";
  if (caught instanceof ApiError && caught.code === "VALIDATION_FAILED" && Array.isArray(detailsOf(caught))) {
    const details = detailsOf(caught) ?? [];
    const lines = details
      .map((detail) =>
        typeof detail === "object" && detail !== null
          ? `${String(Reflect.get(detail, "path") ?? "").replace(/^body\./, "")}: ${String(Reflect.get(detail, "message") ?? "")}`
          : String(detail),
      )
      .join("; ");
    return lines ? `${caught.message} ${lines}` : caught.message;
  }
  return errorMessage(caught);
}

function detailsOf(error: ApiError): unknown[] | undefined {
  const body = error.body;
  if (typeof body !== "object" || body === null) return undefined;
  const details: unknown = Reflect.get(body, "details");
  return Array.isArray(details) ? details : undefined;
}
