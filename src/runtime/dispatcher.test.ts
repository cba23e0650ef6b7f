import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../store/database.ts";
import { migrateToLatest } from "../store/migrate.ts";
import { createChannel } from "../store/repositories/channels.ts";
import { upsertContactFromInbound } from "../store/repositories/contacts.ts";
import { createOrganization } from "../store/repositories/organizations.ts";
import { enqueueOutbound, listOutboundForContact } from "../store/repositories/outbox.ts";
import { createWriteBatcher, type WriteBatcher } from "../store/write-batcher.ts";
import { createSentMarks } from "./dispatcher.ts";

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

/** Three queued rows of one contact, and a batcher that counts the units it is given. */
async function setUp() {
  database = await openDatabase({ url: ":memory:", dataDir: "" });
  await migrateToLatest(database.db);
  const { db } = database;
  const organization = await createOrganization(db, { name: "Acme", at: 1 });
  const channel = await createChannel(db, {
    organizationId: organization.id,
    kind: "whatsapp",
    name: "WA",
    at: 1,
  });
  const contact = await upsertContactFromInbound(db, {
    organizationId: organization.id,
    channelId: channel.id,
    externalId: "34600000001",
    at: 1,
  });
  const ids = await enqueueOutbound(
    db,
    ["one", "two", "three"].map((text) => ({
      organizationId: organization.id,
      channelId: channel.id,
      contactId: contact.id,
      payload: { type: "text" as const, text },
      nextAttemptAt: 1,
      createdAt: 1,
    })),
  );
  const batcher = createWriteBatcher(database);
  const units = { count: 0 };
  const counting: WriteBatcher = {
    run(work, onCommit) {
      units.count += 1;
      return batcher.run(work, onCommit);
    },
  };
  const rows = () => listOutboundForContact(db, organization.id, contact.id);
  return { ids, units, counting, rows };
}

describe("sent marks", () => {
  it("marks that arrive before their unit runs share it; later ones get the next", async () => {
    const { ids, units, counting, rows } = await setUp();
    const markSent = createSentMarks(counting);
    const [first = 0, second = 0, third = 0] = ids;
    await Promise.all([
      markSent({ id: first, providerMessageId: "wamid.1", at: 10 }),
      markSent({ id: second, providerMessageId: "wamid.2", at: 11 }),
    ]);
    expect(units.count).toBe(1);
    await markSent({ id: third, providerMessageId: "wamid.3", at: 12 });
    expect(units.count).toBe(2);
    const byId = new Map((await rows()).map((row) => [row.id, row]));
    expect(
      [first, second, third].map((id) => [byId.get(id)?.status, byId.get(id)?.providerMessageId]),
    ).toEqual([
      ["sent", "wamid.1"],
      ["sent", "wamid.2"],
      ["sent", "wamid.3"],
    ]);
  });

  it("a unit that fails before it runs fails only its own marks", async () => {
    const { ids, counting, rows } = await setUp();
    let refuseNext = true;
    const failing: WriteBatcher = {
      run(work, onCommit) {
        if (!refuseNext) return counting.run(work, onCommit);
        refuseNext = false;
        return Promise.reject(new Error("the batch could not start"));
      },
    };
    const markSent = createSentMarks(failing);
    const [first = 0, second = 0] = ids;
    await expect(markSent({ id: first, providerMessageId: "wamid.1", at: 10 })).rejects.toThrow(
      "could not start",
    );
    await markSent({ id: second, providerMessageId: "wamid.2", at: 11 });
    const byId = new Map((await rows()).map((row) => [row.id, row]));
    expect([byId.get(first)?.status, byId.get(second)?.status]).toEqual(["queued", "sent"]);
    expect(byId.get(second)?.providerMessageId).toBe("wamid.2");
  });
});
