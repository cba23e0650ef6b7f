import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer } from "../../../test/support/server.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

const template = {
  name: "order_update",
  language: "en_US",
  category: "UTILITY",
  components: [{ type: "BODY", text: "Order {{1}} is {{2}}" }],
};

describe("templates", () => {
  it("creates, lists and reads templates", async () => {
    const created = await server.call("editor", "POST", "/api/templates", { payload: template });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ ...template, status: "APPROVED", channel_id: null });
    const list = (await server.call("viewer", "GET", "/api/templates?name=order_update")).json();
    expect(list.count).toBe(1);
    const one = await server.call("viewer", "GET", `/api/templates/${created.json().id}`);
    expect(one.json().name).toBe("order_update");
  });

  it("names invalid fields and scopes reads", async () => {
    const invalid = await server.call("editor", "POST", "/api/templates", {
      payload: { ...template, name: "Order Update", category: "PROMO" },
    });
    expect(invalid.statusCode).toBe(400);
    expect(
      invalid
        .json()
        .details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["body.category", "body.name"]);
    const unknownChannel = await server.call("editor", "POST", "/api/templates", {
      payload: { ...template, channel_id: "nope" },
    });
    expect(unknownChannel.json().details[0].path).toBe("body.channel_id");
    const created = (await server.call("editor", "POST", "/api/templates", { payload: template })).json();
    expect((await server.call("owner", "GET", `/api/templates/${created.id}`, { org: "b" })).statusCode).toBe(
      404,
    );
    expect((await server.call("viewer", "POST", "/api/templates", { payload: template })).statusCode).toBe(
      403,
    );
    expect((await server.call(null, "GET", "/api/templates")).statusCode).toBe(401);
  });
});

describe("template groups", () => {
  it("creates an ordered group at both paths", async () => {
    const first = (await server.call("editor", "POST", "/api/templates", { payload: template })).json();
    const second = (
      await server.call("editor", "POST", "/api/templates", {
        payload: { ...template, name: "order_update_v2" },
      })
    ).json();
    const created = await server.call("editor", "POST", "/api/template-groups", {
      payload: { name: "Order updates", template_ids: [second.id, first.id] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: "Order updates", template_ids: [second.id, first.id] });
    const viaSeedPath = (await server.call("viewer", "GET", "/api/templates/groups")).json();
    expect(viaSeedPath.results.map((g: { id: string }) => g.id)).toContain(created.json().id);
    expect((await server.call("viewer", "GET", "/api/template-groups")).json().count).toBe(viaSeedPath.count);
  });

  it("refuses templates of another organization, naming the index", async () => {
    const theirs = (
      await server.call("editor", "POST", "/api/templates", { payload: template, org: "b" })
    ).json();
    const mine = (await server.call("editor", "POST", "/api/templates", { payload: template })).json();
    const response = await server.call("editor", "POST", "/api/template-groups", {
      payload: { name: "Mixed", template_ids: [mine.id, theirs.id] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([expect.objectContaining({ path: "body.template_ids[1]" })]);
    expect(
      (
        await server.call("viewer", "POST", "/api/template-groups", {
          payload: { name: "x", template_ids: [mine.id] },
        })
      ).statusCode,
    ).toBe(403);
  });
});
