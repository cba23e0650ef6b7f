import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer } from "../../../test/support/server.ts";
import { createChannel, updateContact, upsertContactFromInbound } from "../../store/index.ts";

let server: StoreTestServer;
const ids: Record<string, string> = {};
beforeAll(async () => {
  server = await buildStoreTestServer();
  const db = server.database.db;
  for (const org of ["a", "b"] as const) {
    const organizationId = server.orgs[org].id;
    const channel = await createChannel(db, { organizationId, kind: "web", name: "Sim", at: 1 });
    const people: [string, string, string[]][] = [
      ["Maria Lopez", "34600111222", ["vip"]],
      ["John Smith", "447700900123", ["lead", "vip-ish"]],
      ["Ana Ruiz", "34600999888", []],
    ];
    for (const [index, [name, phone, tags]] of people.entries()) {
      const contact = await upsertContactFromInbound(db, {
        organizationId,
        channelId: channel.id,
        externalId: `${org}-${phone}`,
        name,
        phone,
        at: 1000 + index,
      });
      await updateContact(db, organizationId, contact.id, { tags, at: 2000 });
      ids[`${org}:${name}`] = contact.id;
    }
  }
});
afterAll(async () => {
  await server.close();
});

describe("GET /api/contacts", () => {
  it("searches by name, phone or external id and filters by exact tag", async () => {
    const byName = (await server.call("viewer", "GET", "/api/contacts?q=maria")).json();
    expect(byName.results.map((c: { name: string }) => c.name)).toEqual(["Maria Lopez"]);
    const byPhone = (await server.call("viewer", "GET", "/api/contacts?q=34600")).json();
    expect(byPhone.count).toBe(2);
    const byTag = (await server.call("viewer", "GET", "/api/contacts?tag=vip")).json();
    expect(byTag.results.map((c: { name: string }) => c.name)).toEqual(["Maria Lopez"]);
    expect(byTag.results[0]).toMatchObject({ phone: "34600111222", tags: ["vip"], opted_out: false });
  });

  it("pages within the caller's organization", async () => {
    const page = (await server.call("viewer", "GET", "/api/contacts?page_size=2")).json();
    expect(page.count).toBe(3);
    expect(page.results).toHaveLength(2);
    expect(page.next).toBe("/api/contacts?page_size=2&page=2");
    expect(JSON.stringify(page)).not.toContain(`"external_id":"b-`);
    expect((await server.call(null, "GET", "/api/contacts")).statusCode).toBe(401);
  });
});

describe("GET/PATCH /api/contacts/{id}", () => {
  it("reads and edits name, attributes, tags and opt-out", async () => {
    const id = ids["a:Ana Ruiz"];
    expect((await server.call("viewer", "GET", `/api/contacts/${id}`)).json().name).toBe("Ana Ruiz");
    const response = await server.call("editor", "PATCH", `/api/contacts/${id}`, {
      payload: { name: "Ana R.", attributes: { plan: "gold" }, tags: [" vip ", "vip"], opted_out: true },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: "Ana R.",
      attributes: { plan: "gold" },
      tags: ["vip"],
      opted_out: true,
    });
  });

  it("validates, authorizes and scopes", async () => {
    const id = ids["a:John Smith"];
    const bad = await server.call("editor", "PATCH", `/api/contacts/${id}`, { payload: { tags: "vip" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe("body.tags");
    expect((await server.call("viewer", "PATCH", `/api/contacts/${id}`, { payload: {} })).statusCode).toBe(
      403,
    );
    expect((await server.call("owner", "GET", `/api/contacts/${id}`, { org: "b" })).statusCode).toBe(404);
    const foreign = await server.call("owner", "PATCH", `/api/contacts/${id}`, {
      payload: { name: "x" },
      org: "b",
    });
    expect(foreign.statusCode).toBe(404);
  });
});
