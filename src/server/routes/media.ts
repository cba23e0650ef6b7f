/**
 * Serves inbound media the runtime downloaded into the data directory (`/api/media/{file}`), so flows
 * and the transcript can show what contacts sent. Only plain file names are accepted: no path, no
 * leading dot, so nothing outside the media directory can be named.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ParleyError } from "../../core/errors.ts";
import { requireRole } from "../auth.ts";
import { commonErrors, SECURITY } from "../presenters/shared.ts";

const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const MIME_TYPES: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".ogg": "audio/ogg",
  ".mp3": "audio/mpeg",
  ".mp4": "video/mp4",
  ".pdf": "application/pdf",
};
const fileParams = z.object({
  file: z.string().regex(FILE_NAME, "A file name: letters, digits, '.', '_', '-'"),
});

/** Registers GET /api/media/{file} over `mediaDir`. */
export function createMediaRoutes(mediaDir: string): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/media/:file",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: ["conversations"],
          summary: "An inbound media file the runtime downloaded",
          security: SECURITY,
          params: fileParams,
          response: { 200: z.unknown().describe("The file bytes"), ...commonErrors },
        },
      },
      async (request, reply) => {
        const path = join(mediaDir, request.params.file);
        const found = await stat(path).catch(() => null);
        if (!found?.isFile()) throw new ParleyError("NOT_FOUND", "No such media file.");
        const type = MIME_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
        return reply
          .type(type)
          .header("content-length", found.size)
          .header("x-content-type-options", "nosniff")
          .header("cache-control", "private, max-age=86400")
          .send(createReadStream(path));
      },
    );
  };
}
