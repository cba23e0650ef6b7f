import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer } from "../../../test/support/server.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("bots", () => {
  it("lists the default bot first and creates, renames and deletes others", async () => {
    const list = (await server.call("viewer", "GET", "/api/bots")).json();
    expect(list.count).toBe(1);
    expect(list.results[0]).toMatchObject({ name: "Acme", is_default: true });
    const created = await server.call("admin", "POST", "/api/bots", {
      payload: { name: "Sales", description: "d" },
    });
    expect(created.statusCode).toBe(201);
    const bot = created.json();
    expect(bot).toMatchObject({ name: "Sales", description: "d", is_default: false });
    const renamed = await server.call("admin", "PUT", `/api/bots/${bot.id}`, {
      payload: { name: "Sales EU" },
    });
    expect(renamed.json()).toMatchObject({ name: "Sales EU", description: "d" });
    expect((await server.call("viewer", "GET", `/api/bots/${bot.id}`)).json().name).toBe("Sales EU");
    expect((await server.call("admin", "DELETE", `/api/bots/${bot.id}`)).statusCode).toBe(204);
    expect((await server.call("viewer", "GET", `/api/bots/${bot.id}`)).statusCode).toBe(404);
  });

  it("refuses to delete the default bot with 409", async () => {
    const [defaultBot] = (await server.call("viewer", "GET", "/api/bots")).json().results;
    const response = await server.call("owner", "DELETE", `/api/bots/${defaultBot.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe("CONFLICT");
  });

  it("validates, authorizes and scopes", async () => {
    const invalid = await server.call("admin", "POST", "/api/bots", { payload: { name: " " } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().details[0].path).toBe("body.name");
    expect((await server.call(null, "GET", "/api/bots")).statusCode).toBe(401);
    expect((await server.call("editor", "POST", "/api/bots", { payload: { name: "x" } })).statusCode).toBe(
      403,
    );
    const theirs = (
      await server.call("admin", "POST", "/api/bots", { payload: { name: "B" }, org: "b" })
    ).json();
    for (const method of ["GET", "PUT", "DELETE"] as const) {
      const response = await server.call("owner", method, `/api/bots/${theirs.id}`, {
        ...(method === "PUT" && { payload: { name: "stolen" } }),
      });
      expect(response.statusCode).toBe(404);
    }
  });
});
