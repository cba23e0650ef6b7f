import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOperatorTestServer, type OperatorTestServer } from "../../../test/support/operator-server.ts";

let server: OperatorTestServer;
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  server = await buildOperatorTestServer();
  await writeFile(join(server.mediaDir, "3f2a-photo.png"), png);
  await writeFile(join(server.mediaDir, "notes"), "plain bytes");
});
afterAll(async () => {
  await server.close();
});

describe("GET /api/media/{file}", () => {
  it("serves a downloaded file with its type", async () => {
    const response = await server.call("viewer", "GET", "/api/media/3f2a-photo.png");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("image/png");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.rawPayload.equals(png)).toBe(true);
    const unknown = await server.call("viewer", "GET", "/api/media/notes");
    expect(unknown.headers["content-type"]).toBe("application/octet-stream");
  });

  it.each(["..%2Fsecret", ".env", "a%2Fb.png", "%2e%2e%2F%2e%2e%2Fetc%2Fpasswd", "a b.png"])(
    "refuses the name %s",
    async (name) => {
      const response = await server.call("viewer", "GET", `/api/media/${name}`);
      expect(response.statusCode).toBe(400);
    },
  );

  it.each(["..", "%2e%2e"])(
    "never serves the dot segment %s (the router normalises it away)",
    async (name) => {
      expect((await server.call("viewer", "GET", `/api/media/${name}`)).statusCode).toBe(404);
    },
  );

  it("answers 404 for a missing file and 401 without a session", async () => {
    expect((await server.call("viewer", "GET", "/api/media/missing.png")).statusCode).toBe(404);
    expect((await server.call(null, "GET", "/api/media/3f2a-photo.png")).statusCode).toBe(401);
  });
});
