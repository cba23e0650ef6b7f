/**
 * Shapes shared by every resource: the error body, seed 000's `{count, next, previous, results}`
 * pagination envelope and its query parameters, ids in paths, and timestamps as ISO strings.
 */
import { z } from "zod";

export const errorSchema = z.object({ error: z.string(), code: z.string(), details: z.unknown().optional() });

/** The error responses every authenticated route may give, for OpenAPI. */
export const commonErrors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** `page` and `page_size` query parameters (seed 000: 20 per page by default, at most 100). */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/** A query flag written as true/false (or 1/0). */
export const queryFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

export const idParams = z.object({ id: z.string().min(1).max(200) });

/** Wraps a result schema in the pagination envelope. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

export interface PageEnvelope<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * Builds the envelope with `next`/`previous` as relative URLs that keep the request's other query
 * parameters. Without `page`, the list is complete and both links are null.
 */
export function toPage<T>(
  results: T[],
  count: number,
  link?: { url: string; page: number; pageSize: number },
): PageEnvelope<T> {
  if (!link) return { count, next: null, previous: null, results };
  const hasNext = link.page * link.pageSize < count;
  return {
    count,
    next: hasNext ? pageUrl(link.url, link.page + 1) : null,
    previous: link.page > 1 ? pageUrl(link.url, link.page - 1) : null,
    results,
  };
}

/** Milliseconds since the epoch as an ISO 8601 string (null stays null). */
export function toIso(ms: number): string;
export function toIso(ms: number | null): string | null;
export function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function pageUrl(url: string, page: number): string {
  const parsed = new URL(url, "http://parley.invalid");
  parsed.searchParams.set("page", String(page));
  return `${parsed.pathname}${parsed.search}`;
}

/** OpenAPI security of every authenticated route: the session cookie or a bearer JWT. */
export const SECURITY: Record<string, string[]>[] = [{ sessionCookie: [] }, { bearerAuth: [] }];
