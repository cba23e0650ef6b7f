/**
 * The store contract: one suite, run on every dialect testDatabases() offers (SQLite always,
 * PostgreSQL when reachable and always in CI). Each dialect gets its own fresh database or schema.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInitialState, type ExecutionState } from "../src/core/execution.ts";
import type { FlowGraph } from "../src/core/flow.ts";
import { type Database, isPostgresUrl, openDatabase } from "../src/store/database.ts";
import * as store from "../src/store/index.ts";
import { type MigrationReport, migrateToLatest } from "../src/store/migrate.ts";
import { createSecretBox } from "../src/store/secret-box.ts";
import { testDatabases } from "./support/databases.ts";

const databases = await testDatabases();
const T0 = 1_700_000_000_000;

function graph(text: string): FlowGraph {
  return {
    version: 1,
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["hi"] } },
      { id: "t1", type: "text", position: { x: 0, y: 100 }, data: { text } },
    ],
    edges: [{ id: "e1", source: "start", target: "t1" }],
    menus: [],
    settings: {},
  };
}

function state(patch: Partial<ExecutionState> = {}): ExecutionState {
  return { ...createInitialState(), ...patch };
}

describe.each(databases)("store contract on $name", (target) => {
  let database: Database & { cleanup(): Promise<void> };
  let firstRun: MigrationReport[];
  let secondRun: MigrationReport[];

  beforeAll(async () => {
    database = await target.open();
    firstRun = await migrateToLatest(database.db);
    secondRun = await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  /** A fresh organization with a channel, a contact and a flow, so tests never share rows. */
  async function seed() {
    const db = database.db;
    const org = await store.createOrganization(db, { name: "Acme", at: T0 });
    const bot = await store.getDefaultBot(db, org.id);
    if (!bot) throw new Error("no default bot");
    const channel = await store.createChannel(db, {
      organizationId: org.id,
      botId: bot.id,
      kind: "whatsapp",
      name: "Main number",
      externalId: `pn-${randomUUID()}`,
      config: { graphVersion: "v21.0" },
      at: T0,
    });
    const contact = await store.upsertContactFromInbound(db, {
      organizationId: org.id,
      channelId: channel.id,
      externalId: `wa-${randomUUID()}`,
      name: "Ana",
      phone: "+34600000000",
      at: T0,
    });
    const flow = await store.createFlow(db, {
      organizationId: org.id,
      botId: bot.id,
      name: "Welcome",
      graph: graph("hello"),
      at: T0,
    });
    const published = await store.publishFlow(db, org.id, flow.id, ["hi"], null, T0);
    if (!published) throw new Error("publish failed");
    return { db, org, bot, channel, contact, flow: published.flow, version: published.version };
  }

  describe("migrations", () => {
    it("apply on a fresh database, then report already-applied", () => {
      expect(firstRun.length).toBeGreaterThan(0);
      expect(firstRun.every((report) => report.status === "applied")).toBe(true);
      expect(secondRun.map((report) => report.name)).toEqual(firstRun.map((report) => report.name));
      expect(secondRun.every((report) => report.status === "already-applied")).toBe(true);
    });

    it("report the dialect the database was opened with", () => {
      expect(database.dialect).toBe(target.name);
    });

    it("store flags natively (0/1 on SQLite, boolean on PostgreSQL) and timestamps as numbers", async () => {
      const { db, flow } = await seed();
      const raw = await db
        .selectFrom("flows")
        .select(["is_active", "is_default", "created_at", "execution_count"])
        .where("id", "=", flow.id)
        .executeTakeFirstOrThrow();
      expect(raw.is_active).toBe(target.name === "postgres" ? true : 1);
      expect(raw.is_default).toBe(target.name === "postgres" ? false : 0);
      expect(raw.created_at).toBe(T0);
      expect(raw.execution_count).toBe(0);
    });
  });

  describe("organizations, users, memberships, api clients", () => {
    it("creates an organization with its default bot", async () => {
      const db = database.db;
      const org = await store.createOrganization(db, { name: "Beta", at: T0 });
      expect(await store.getOrganization(db, org.id)).toEqual(org);
      const bots = await store.listBots(db, org.id);
      expect(bots).toHaveLength(1);
      expect(bots[0]).toMatchObject({ name: "Beta", isDefault: true, organizationId: org.id });
    });

    it("creates users, finds them by email case-insensitively, refuses duplicates", async () => {
      const db = database.db;
      const email = `Ana.${randomUUID()}@Example.com`;
      const user = await store.createUser(db, { email, name: "Ana", passwordHash: "h", at: T0 });
      expect(user.email).toBe(email.toLowerCase());
      expect(await store.findUserByEmail(db, email.toUpperCase())).toEqual(user);
      expect(await store.getUser(db, user.id)).toEqual(user);
      expect(await store.findUserByEmail(db, "nobody@example.com")).toBeNull();
      await expect(
        store.createUser(db, { email, name: "Other", passwordHash: "h", at: T0 }),
      ).rejects.toThrow();
    });

    it("lists a user's memberships with organization names and roles", async () => {
      const db = database.db;
      const user = await store.createUser(db, {
        email: `${randomUUID()}@x.io`,
        name: "B",
        passwordHash: "h",
        at: T0,
      });
      const one = await store.createOrganization(db, { name: "One", at: T0 });
      const two = await store.createOrganization(db, { name: "Two", at: T0 + 1 });
      await store.addMembership(db, { organizationId: one.id, userId: user.id, role: "owner", at: T0 });
      await store.addMembership(db, { organizationId: two.id, userId: user.id, role: "viewer", at: T0 + 1 });
      await store.addMembership(db, { organizationId: two.id, userId: user.id, role: "editor", at: T0 + 2 });
      const memberships = await store.listMembershipsOfUser(db, user.id);
      expect(memberships.map((m) => [m.organizationName, m.role])).toEqual([
        ["One", "owner"],
        ["Two", "editor"],
      ]);
    });

    it("creates, approves, rotates and finds api clients, as booleans", async () => {
      const { db, org } = await seed();
      const clientId = `client-${randomUUID()}`;
      const client = await store.createApiClient(db, {
        organizationId: org.id,
        clientId,
        apiKeyHash: "k1",
        at: T0,
      });
      expect(client.approved).toBe(false);
      expect(client.rotatedAt).toBeNull();
      expect((await store.approveApiClient(db, org.id, client.id))?.approved).toBe(true);
      const rotated = await store.rotateApiClient(db, org.id, client.id, "k2", T0 + 5);
      expect(rotated).toMatchObject({ apiKeyHash: "k2", rotatedAt: T0 + 5, approved: true });
      expect(await store.findApiClientByClientId(db, clientId)).toEqual(rotated);
      expect(await store.listApiClients(db, org.id)).toEqual([rotated]);
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.approveApiClient(db, other.id, client.id)).toBeNull();
      expect(await store.rotateApiClient(db, other.id, client.id, "k3", T0)).toBeNull();
    });
  });

  describe("bots and channels", () => {
    it("creates, lists and scopes bots", async () => {
      const { db, org, bot } = await seed();
      const extra = await store.createBot(db, {
        organizationId: org.id,
        name: "Sales",
        description: "d",
        at: T0 + 1,
      });
      expect(extra.isDefault).toBe(false);
      expect((await store.listBots(db, org.id)).map((b) => b.id)).toEqual([bot.id, extra.id]);
      expect(await store.getBot(db, org.id, extra.id)).toEqual(extra);
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.getBot(db, other.id, extra.id)).toBeNull();
    });

    it("creates, reads, updates, finds by external id and deletes channels", async () => {
      const { db, org, bot } = await seed();
      const box = createSecretBox(randomBytes(32));
      const externalId = `tg-${randomUUID()}`;
      const channel = await store.createChannel(db, {
        organizationId: org.id,
        kind: "telegram",
        name: "Bot",
        externalId,
        config: { nested: { a: [1, 2] }, flag: true },
        secretsEncrypted: box.seal(JSON.stringify({ token: "secret-token" })),
        at: T0,
      });
      expect(channel.config).toEqual({ nested: { a: [1, 2] }, flag: true });
      const found = await store.findChannelByExternalId(db, "telegram", externalId);
      expect(found).toEqual(channel);
      expect(JSON.parse(box.open(found?.secretsEncrypted ?? ""))).toEqual({ token: "secret-token" });
      expect(await store.findChannelByExternalId(db, "whatsapp", externalId)).toBeNull();
      expect(await store.findChannelForWebhook(db, "telegram", channel.id)).toEqual(channel);
      expect(await store.findChannelForWebhook(db, "whatsapp", channel.id)).toBeNull();
      await expect(
        store.createChannel(db, {
          organizationId: org.id,
          kind: "telegram",
          name: "Dup",
          externalId,
          at: T0,
        }),
      ).rejects.toThrow();

      const updated = await store.updateChannel(db, org.id, channel.id, {
        name: "Renamed",
        botId: bot.id,
        at: T0 + 9,
      });
      expect(updated).toMatchObject({ name: "Renamed", botId: bot.id, updatedAt: T0 + 9, externalId });
      expect((await store.listChannels(db, org.id, { kind: "telegram" })).map((c) => c.id)).toEqual([
        channel.id,
      ]);
      expect(await store.listChannels(db, org.id, { botId: bot.id })).toHaveLength(2);

      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.getChannel(db, other.id, channel.id)).toBeNull();
      expect(await store.updateChannel(db, other.id, channel.id, { name: "x", at: T0 })).toBeNull();
      expect(await store.deleteChannel(db, other.id, channel.id)).toBe(false);
      expect(await store.deleteChannel(db, org.id, channel.id)).toBe(true);
      expect(await store.getChannel(db, org.id, channel.id)).toBeNull();
    });

    it("allows many channels without an external id (web simulator)", async () => {
      const { db, org } = await seed();
      await store.createChannel(db, { organizationId: org.id, kind: "web", name: "Sim 1", at: T0 });
      await store.createChannel(db, { organizationId: org.id, kind: "web", name: "Sim 2", at: T0 });
      expect(await store.listChannels(db, org.id, { kind: "web" })).toHaveLength(2);
    });
  });

  describe("flows and versions", () => {
    it("creates, reads, lists, searches and deletes flows; JSON and booleans round-trip", async () => {
      const { db, org } = await seed();
      const flow = await store.createFlow(db, {
        organizationId: org.id,
        name: "Order 100% tracking",
        graph: graph("ünïcödé {{name}}"),
        isDefault: true,
        triggerKeywords: ["track"],
        at: T0 + 1,
      });
      expect(flow).toMatchObject({ isActive: false, isPublished: false, isDefault: true, executionCount: 0 });
      expect(flow.graph).toEqual(graph("ünïcödé {{name}}"));
      expect(await store.getFlow(db, org.id, flow.id)).toEqual(flow);
      const all = await store.listFlows(db, org.id);
      expect(all.total).toBe(2);
      expect(all.rows[0]?.id).toBe(flow.id);
      expect((await store.listFlows(db, org.id, { search: "100%" })).rows.map((f) => f.id)).toEqual([
        flow.id,
      ]);
      expect((await store.listFlows(db, org.id, { search: "0_t" })).total).toBe(0);
      expect((await store.listFlows(db, org.id, { isPublished: true })).total).toBe(1);
      expect((await store.listFlows(db, org.id, { pageSize: 1, page: 2 })).rows).toHaveLength(1);
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.getFlow(db, other.id, flow.id)).toBeNull();
      expect(await store.deleteFlow(db, other.id, flow.id)).toBe(false);
      expect(await store.deleteFlow(db, org.id, flow.id)).toBe(true);
      expect(await store.getFlow(db, org.id, flow.id)).toBeNull();
    });

    it("updates with optimistic concurrency", async () => {
      const { db, org, flow } = await seed();
      const first = await store.updateFlow(db, org.id, flow.id, { name: "A", at: T0 }, flow.updatedAt);
      if (first === null || first === "conflict") throw new Error("first update failed");
      expect(first.name).toBe("A");
      expect(first.updatedAt).toBeGreaterThan(flow.updatedAt);
      expect(await store.updateFlow(db, org.id, flow.id, { name: "B", at: T0 + 1 }, flow.updatedAt)).toBe(
        "conflict",
      );
      const second = await store.updateFlow(
        db,
        org.id,
        flow.id,
        { graph: graph("v2"), at: T0 + 1 },
        first.updatedAt,
      );
      if (second === null || second === "conflict") throw new Error("second update failed");
      expect(second.graph).toEqual(graph("v2"));
      expect(second.name).toBe("A");
      const blind = await store.updateFlow(db, org.id, flow.id, { isActive: false, at: T0 + 2 });
      expect(blind !== "conflict" && blind?.isActive).toBe(false);
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(
        await store.updateFlow(db, other.id, flow.id, { name: "X", at: T0 }, second.updatedAt),
      ).toBeNull();
      expect(await store.updateFlow(db, org.id, randomUUID(), { name: "X", at: T0 })).toBeNull();
    });

    it("publishes numbered immutable versions and unpublishes", async () => {
      const { db, org, flow, version, bot } = await seed();
      expect(version.version).toBe(1);
      expect(flow).toMatchObject({
        isPublished: true,
        isActive: true,
        publishedVersionId: version.id,
        publishedAt: T0,
      });
      await store.updateFlow(db, org.id, flow.id, { graph: graph("draft 2"), at: T0 + 10 });
      const again = await store.publishFlow(db, org.id, flow.id, ["hi", "hello"], null, T0 + 20);
      expect(again?.version.version).toBe(2);
      expect(again?.version.graph).toEqual(graph("draft 2"));
      expect((await store.getFlowVersion(db, org.id, version.id))?.graph).toEqual(graph("hello"));
      expect((await store.listFlowVersions(db, org.id, flow.id)).map((v) => v.version)).toEqual([2, 1]);

      const orgLevel = await store.createFlow(db, {
        organizationId: org.id,
        name: "Org level",
        graph: graph("o"),
        at: T0 + 30,
      });
      await store.publishFlow(db, org.id, orgLevel.id, ["menu"], "user-1", T0 + 31);
      const otherBot = await store.createBot(db, { organizationId: org.id, name: "Other bot", at: T0 });
      const active = await store.listActiveFlowsForTrigger(db, org.id, bot.id);
      expect(active.map((f) => [f.id, f.publishedVersionId, f.triggerKeywords])).toEqual([
        [flow.id, again?.version.id, ["hi", "hello"]],
        [orgLevel.id, expect.any(String), ["menu"]],
      ]);
      expect((await store.listActiveFlowsForTrigger(db, org.id, otherBot.id)).map((f) => f.id)).toEqual([
        orgLevel.id,
      ]);
      expect((await store.listActiveFlowsForTrigger(db, org.id, null)).map((f) => f.id)).toEqual([
        orgLevel.id,
      ]);

      const unpublished = await store.unpublishFlow(db, org.id, flow.id);
      expect(unpublished?.isPublished).toBe(false);
      expect((await store.listActiveFlowsForTrigger(db, org.id, bot.id)).map((f) => f.id)).toEqual([
        orgLevel.id,
      ]);

      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.publishFlow(db, other.id, flow.id, [])).toBeNull();
      expect(await store.unpublishFlow(db, other.id, flow.id)).toBeNull();
      expect(await store.getFlowVersion(db, other.id, version.id)).toBeNull();
      expect(await store.listFlowVersions(db, other.id, flow.id)).toEqual([]);
      expect(await store.listActiveFlowsForTrigger(db, other.id, null)).toEqual([]);
    });

    it("counts executions", async () => {
      const { db, org, flow } = await seed();
      await store.incrementExecutionCount(db, flow.id, T0 + 1);
      await store.incrementExecutionCount(db, flow.id, T0 + 2);
      expect(await store.getFlow(db, org.id, flow.id)).toMatchObject({
        executionCount: 2,
        lastExecutedAt: T0 + 2,
      });
    });
  });

  describe("contacts", () => {
    it("upserts from inbound, keeping the name and never moving last_inbound_at back", async () => {
      const { db, org, channel, contact } = await seed();
      expect(contact).toMatchObject({
        name: "Ana",
        lastInboundAt: T0,
        optedOut: false,
        tags: [],
        attributes: {},
      });
      const again = await store.upsertContactFromInbound(db, {
        organizationId: org.id,
        channelId: channel.id,
        externalId: contact.externalId,
        at: T0 + 100,
      });
      expect(again).toMatchObject({
        id: contact.id,
        name: "Ana",
        phone: "+34600000000",
        lastInboundAt: T0 + 100,
      });
      const late = await store.upsertContactFromInbound(db, {
        organizationId: org.id,
        channelId: channel.id,
        externalId: contact.externalId,
        name: "Ana María",
        at: T0 + 50,
      });
      expect(late).toMatchObject({ id: contact.id, name: "Ana María", lastInboundAt: T0 + 100 });
      const fresh = await store.upsertContactFromInbound(db, {
        organizationId: org.id,
        channelId: channel.id,
        externalId: "tg-123",
        at: T0,
      });
      expect(fresh).toMatchObject({ name: null, phone: null });
      expect(fresh.id).not.toBe(contact.id);
    });

    it("lists, searches, pages and updates contacts within the organization", async () => {
      const { db, org, channel, contact } = await seed();
      for (const [i, name] of ["Bob", "Carla", "bo_b"].entries()) {
        await store.upsertContactFromInbound(db, {
          organizationId: org.id,
          channelId: channel.id,
          externalId: `ext-${i}`,
          name,
          at: T0 + i + 1,
        });
      }
      const all = await store.listContacts(db, org.id);
      expect(all.total).toBe(4);
      expect(all.rows[0]?.name).toBe("bo_b");
      expect((await store.listContacts(db, org.id, { search: "BO" })).total).toBe(2);
      expect((await store.listContacts(db, org.id, { search: "o_" })).rows.map((c) => c.name)).toEqual([
        "bo_b",
      ]);
      expect((await store.listContacts(db, org.id, { search: "600000" })).rows.map((c) => c.id)).toEqual([
        contact.id,
      ]);
      expect((await store.listContacts(db, org.id, { search: "EXT-1" })).rows.map((c) => c.name)).toEqual([
        "Carla",
      ]);
      const page = await store.listContacts(db, org.id, { pageSize: 3, page: 2 });
      expect(page).toMatchObject({ total: 4 });
      expect(page.rows).toHaveLength(1);

      const updated = await store.updateContact(db, org.id, contact.id, {
        tags: ["vip", "es"],
        attributes: { plan: "gold", score: 3, nested: { ok: true } },
        optedOut: true,
        at: T0 + 9,
      });
      expect(updated).toMatchObject({ tags: ["vip", "es"], optedOut: true, updatedAt: T0 + 9 });
      expect((await store.getContact(db, org.id, contact.id))?.attributes).toEqual({
        plan: "gold",
        score: 3,
        nested: { ok: true },
      });
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.getContact(db, other.id, contact.id)).toBeNull();
      expect(await store.updateContact(db, other.id, contact.id, { tags: [], at: T0 })).toBeNull();
      expect((await store.listContacts(db, other.id)).total).toBe(0);
    });
  });

  describe("inbox", () => {
    it("inserts messages once, ignoring duplicates within and across batches", async () => {
      const { db, org, channel, contact } = await seed();
      const row = (externalMessageId: string, text = "hi") => ({
        organizationId: org.id,
        channelId: channel.id,
        contactId: contact.id,
        externalMessageId,
        payload: { text, nested: [1, { a: null }] },
        receivedAt: T0,
      });
      const first = await store.insertInboundMessages(db, [row("m1"), row("m2"), row("m1", "dup")]);
      expect(first.map((m) => m.externalMessageId)).toEqual(["m1", "m2"]);
      expect(first[0]).toMatchObject({
        status: "pending",
        payload: { text: "hi", nested: [1, { a: null }] },
      });
      expect((first[1]?.id ?? 0) > (first[0]?.id ?? 0)).toBe(true);
      const second = await store.insertInboundMessages(db, [row("m2"), row("m3")]);
      expect(second.map((m) => m.externalMessageId)).toEqual(["m3"]);
      expect(await store.insertInboundMessages(db, [row("m1")])).toEqual([]);
      expect(await store.insertInboundMessages(db, [])).toEqual([]);
      const pending = await store.listPendingInboundForContact(db, contact.id, 10);
      expect(pending.map((m) => m.externalMessageId)).toEqual(["m1", "m2", "m3"]);
    });

    it("lists pending rows in arrival order and closes each once", async () => {
      const { db, org, channel, contact } = await seed();
      const rows = ["a", "b", "c"].map((id) => ({
        organizationId: org.id,
        channelId: channel.id,
        contactId: contact.id,
        externalMessageId: `${id}-${randomUUID()}`,
        payload: {},
        receivedAt: T0,
      }));
      const [a, b, c] = await store.insertInboundMessages(db, rows);
      if (!a || !b || !c) throw new Error("insert failed");
      const after = await store.listPendingInbound(db, 1000, a.id);
      expect(after.map((m) => m.id)).toEqual(expect.arrayContaining([b.id, c.id]));
      expect(after.some((m) => m.id <= a.id)).toBe(false);
      const ids = (await store.listPendingInbound(db, 1000)).map((m) => m.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));

      expect(await store.markInboundProcessed(db, a.id, "processed", null, T0 + 1)).toBe(true);
      expect(await store.markInboundProcessed(db, a.id, "failed", "again", T0 + 2)).toBe(false);
      expect(await store.markInboundProcessed(db, b.id, "unhandled", undefined, T0 + 3)).toBe(true);
      expect(await store.markInboundProcessed(db, c.id, "failed", "boom", T0 + 4)).toBe(true);
      expect(await store.listPendingInboundForContact(db, contact.id, 10)).toEqual([]);
      const transcript = await store.listInboundForContact(db, org.id, contact.id);
      expect(transcript.map((m) => [m.status, m.error, m.processedAt])).toEqual([
        ["processed", null, T0 + 1],
        ["unhandled", null, T0 + 3],
        ["failed", "boom", T0 + 4],
      ]);
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.listInboundForContact(db, other.id, contact.id)).toEqual([]);
    });
  });

  describe("executions and logs", () => {
    it("creates, finds the active one, saves state, scopes by organization", async () => {
      const { db, org, flow, version, contact, channel } = await seed();
      const base = {
        organizationId: org.id,
        flowId: flow.id,
        flowVersionId: version.id,
        contactId: contact.id,
        channelId: channel.id,
      };
      const old = await store.createExecution(db, { ...base, state: state({ status: "running" }), at: T0 });
      const trigger = { kind: "keyword" as const, keyword: "hi", variables: { a: 1 } };
      const id = randomUUID();
      const current = await store.createExecution(db, {
        ...base,
        id,
        state: state({ status: "running", trigger }),
        at: T0 + 1,
      });
      expect(current).toMatchObject({ id, status: "running", trigger, completedAt: null });
      expect((await store.findActiveExecution(db, org.id, contact.id))?.id).toBe(id);

      const waiting = state({
        status: "waiting_for_input",
        currentNodeId: "q1",
        waiting: { nodeId: "q1", reason: "input", attempts: 1, scratch: { page: 2 } },
        variables: { name: "Ana", n: 3.5, list: ["x"] },
        visitedNodes: ["start", "q1"],
        trigger,
      });
      expect(await store.saveExecutionState(db, id, waiting, { updatedAt: T0 + 2 })).toBe(true);
      const saved = await store.getExecution(db, org.id, id);
      expect(saved).toMatchObject({ status: "waiting_for_input", currentNodeId: "q1", updatedAt: T0 + 2 });
      expect(saved?.state).toEqual(waiting);

      // Same status as the row holds: the state still moves on, the status stays.
      const next = { ...waiting, currentNodeId: "q2", variables: { name: "Ana", topic: "b" } };
      await store.saveExecutionState(db, id, next, {
        updatedAt: T0 + 3,
        previousStatus: "waiting_for_input",
      });
      expect(await store.getExecution(db, org.id, id)).toMatchObject({
        status: "waiting_for_input",
        currentNodeId: "q2",
        updatedAt: T0 + 3,
        state: next,
      });
      // A different previous status writes the new one.
      await store.saveExecutionState(
        db,
        id,
        { ...next, status: "running" },
        {
          updatedAt: T0 + 3,
          previousStatus: "waiting_for_input",
        },
      );
      expect((await store.getExecution(db, org.id, id))?.status).toBe("running");
      expect((await store.findActiveExecution(db, org.id, contact.id))?.id).toBe(id);

      const failed = state({
        status: "failed",
        error: { code: "ENGINE_LOOP_LIMIT", message: "loop", nodeId: "t1" },
      });
      await store.saveExecutionState(db, id, failed, { updatedAt: T0 + 3, completedAt: T0 + 3 });
      expect(await store.getExecution(db, org.id, id)).toMatchObject({
        status: "failed",
        errorCode: "ENGINE_LOOP_LIMIT",
        errorMessage: "loop",
        errorNodeId: "t1",
        completedAt: T0 + 3,
      });
      expect((await store.findActiveExecution(db, org.id, contact.id))?.id).toBe(old.id);
      expect(await store.saveExecutionState(db, randomUUID(), failed, { updatedAt: T0 })).toBe(false);

      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.getExecution(db, other.id, id)).toBeNull();
      expect(await store.findActiveExecution(db, other.id, contact.id)).toBeNull();
      expect((await store.listExecutions(db, other.id)).total).toBe(0);
    });

    it("lists executions with filters and paging", async () => {
      const { db, org, flow, version, contact, channel } = await seed();
      const base = {
        organizationId: org.id,
        flowId: flow.id,
        flowVersionId: version.id,
        contactId: contact.id,
        channelId: channel.id,
      };
      const statuses = ["completed", "failed", "running", "completed"] as const;
      for (const [i, status] of statuses.entries()) {
        await store.createExecution(db, { ...base, state: state({ status }), at: T0 + i });
      }
      const page1 = await store.listExecutions(db, org.id, { flowId: flow.id, pageSize: 3 });
      expect(page1.total).toBe(4);
      expect(page1.rows.map((e) => e.startedAt)).toEqual([T0 + 3, T0 + 2, T0 + 1]);
      const done = await store.listExecutions(db, org.id, {
        statuses: ["completed", "failed"],
        contactId: contact.id,
      });
      expect(done.total).toBe(3);
      expect((await store.listExecutions(db, org.id, { statuses: ["running"], page: 1 })).rows).toHaveLength(
        1,
      );
      expect((await store.listExecutions(db, org.id, { contactId: randomUUID() })).total).toBe(0);
    });

    it("writes and reads step logs in order", async () => {
      const { db, org, flow, version, contact, channel } = await seed();
      const execution = await store.createExecution(db, {
        organizationId: org.id,
        flowId: flow.id,
        flowVersionId: version.id,
        contactId: contact.id,
        channelId: channel.id,
        state: state(),
        at: T0,
      });
      const common = { executionId: execution.id, organizationId: org.id, createdAt: T0 };
      await store.insertExecutionLogs(db, [
        { ...common, nodeId: "start", nodeType: "start", action: "entered" },
        {
          ...common,
          nodeId: "t1",
          nodeType: "text",
          action: "sent_message",
          output: { text: "hi" },
          message: "sent",
        },
        { ...common, nodeId: "c1", nodeType: "condition", action: "condition", input: [1, 2], output: false },
      ]);
      await store.insertExecutionLogs(db, []);
      const logs = await store.listExecutionLogs(db, org.id, execution.id);
      expect(logs.map((l) => [l.nodeId, l.action, l.input, l.output, l.message])).toEqual([
        ["start", "entered", null, null, null],
        ["t1", "sent_message", null, { text: "hi" }, "sent"],
        ["c1", "condition", [1, 2], false, null],
      ]);
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.listExecutionLogs(db, other.id, execution.id)).toEqual([]);
    });
  });

  describe("outbox", () => {
    it("queues in order and hands out the head of each contact's line", async () => {
      const { db, org, channel, contact } = await seed();
      const message = (text: string, nextAttemptAt: number) => ({
        organizationId: org.id,
        channelId: channel.id,
        contactId: contact.id,
        payload: { type: "text" as const, text },
        nextAttemptAt,
        createdAt: T0,
      });
      const ids = await store.enqueueOutbound(db, [
        message("one", T0),
        message("two", T0),
        message("three", T0 + 10_000),
      ]);
      expect(ids).toHaveLength(3);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(await store.enqueueOutbound(db, [])).toEqual([]);

      const due = await store.listContactsWithDueOutbound(db, T0, 10_000);
      expect(due.filter((row) => row.contactId === contact.id)).toEqual([
        { contactId: contact.id, firstDue: T0 },
      ]);
      const head = (await store.listUnsentForContact(db, contact.id, 1))[0];
      expect(head).toMatchObject({
        id: ids[0],
        status: "queued",
        attempts: 0,
        payload: { type: "text", text: "one" },
      });

      expect(await store.markOutboundSending(db, ids[0] ?? 0, T0)).toBe(true);
      expect(await store.markOutboundSending(db, ids[0] ?? 0, T0)).toBe(false);
      expect((await store.listUnsentForContact(db, contact.id, 1))[0]?.id).toBe(ids[0]);
      await store.scheduleOutboundRetry(
        db,
        ids[0] ?? 0,
        1,
        T0 + 5_000,
        { code: "CHANNEL_UNAVAILABLE", message: "503" },
        T0,
      );
      expect((await store.listUnsentForContact(db, contact.id, 1))[0]).toMatchObject({
        id: ids[0],
        status: "queued",
        attempts: 1,
        nextAttemptAt: T0 + 5_000,
        errorCode: "CHANNEL_UNAVAILABLE",
      });
      // The head is not due, but the contact still has "two" due: the dispatcher must wait for the head.
      expect((await store.listUnsentForContact(db, contact.id, 1))[0]?.id).toBe(ids[0]);

      await store.markOutboundSending(db, ids[0] ?? 0, T0 + 5_000);
      await store.markOutboundSent(db, ids[0] ?? 0, `wamid.${randomUUID()}`, T0 + 5_001);
      expect((await store.listUnsentForContact(db, contact.id, 1))[0]?.id).toBe(ids[1]);
      await store.markOutboundFailed(db, ids[1] ?? 0, "WA_RECIPIENT_UNAVAILABLE", "blocked", T0 + 6_000);
      expect((await store.listUnsentForContact(db, contact.id, 1))[0]?.id).toBe(ids[2]);

      const transcript = await store.listOutboundForContact(db, org.id, contact.id);
      expect(transcript.map((m) => [m.status, m.errorCode])).toEqual([
        ["sent", null],
        ["failed", "WA_RECIPIENT_UNAVAILABLE"],
        ["queued", null],
      ]);
      expect(transcript[0]).toMatchObject({ attempts: 2, sentAt: T0 + 5_001 });
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.listOutboundForContact(db, other.id, contact.id)).toEqual([]);
    });

    it("applies delivery statuses monotonically", async () => {
      const { db, org, channel, contact } = await seed();
      const enqueue = async () => {
        const [id] = await store.enqueueOutbound(db, [
          {
            organizationId: org.id,
            channelId: channel.id,
            contactId: contact.id,
            payload: { type: "text", text: "x" },
            nextAttemptAt: T0,
            createdAt: T0,
          },
        ]);
        const providerId = `wamid.${randomUUID()}`;
        await store.markOutboundSent(db, id ?? 0, providerId, T0);
        return providerId;
      };
      const wamid = await enqueue();
      expect(await store.applyDeliveryStatus(db, wamid, "read", T0 + 2)).toMatchObject({
        status: "read",
        deliveredAt: T0 + 2,
        readAt: T0 + 2,
        sentAt: T0,
      });
      expect(await store.applyDeliveryStatus(db, wamid, "delivered", T0 + 3)).toBeNull();
      expect(await store.applyDeliveryStatus(db, wamid, "sent", T0 + 3)).toBeNull();
      expect(await store.applyDeliveryStatus(db, wamid, "failed", T0 + 3, { code: "131026" })).toBeNull();

      const failing = await enqueue();
      expect(await store.applyDeliveryStatus(db, failing, "delivered", T0 + 1)).toMatchObject({
        status: "delivered",
      });
      expect(await store.applyDeliveryStatus(db, failing, "delivered", T0 + 2)).toBeNull();
      expect(await store.applyDeliveryStatus(db, failing, "failed", T0 + 2, { code: "131026" })).toBeNull();

      const undeliverable = await enqueue();
      expect(
        await store.applyDeliveryStatus(db, undeliverable, "failed", T0 + 1, {
          code: "131026",
          message: "undeliverable",
        }),
      ).toMatchObject({ status: "failed", errorCode: "131026", errorMessage: "undeliverable" });
      expect(await store.applyDeliveryStatus(db, undeliverable, "delivered", T0 + 2)).toBeNull();
      expect(
        await store.applyDeliveryStatus(db, undeliverable, "failed", T0 + 3, { code: "999" }),
      ).toBeNull();
      const [row] = (await store.listOutboundForContact(db, org.id, contact.id)).filter(
        (m) => m.providerMessageId === undeliverable,
      );
      expect(row).toMatchObject({ status: "failed", errorCode: "131026" });
      expect(await store.applyDeliveryStatus(db, "wamid.unknown", "read", T0)).toBeNull();
    });
  });

  describe("timers", () => {
    async function seedTimers(count: number, dueAt: number) {
      const { db, org, flow, version, contact, channel } = await seed();
      const execution = await store.createExecution(db, {
        organizationId: org.id,
        flowId: flow.id,
        flowVersionId: version.id,
        contactId: contact.id,
        channelId: channel.id,
        state: state(),
        at: T0,
      });
      const timers = Array.from({ length: count }, (_, i) => ({
        id: randomUUID(),
        organizationId: org.id,
        executionId: execution.id,
        contactId: contact.id,
        kind: "timeout" as const,
        nodeId: `n${i}`,
        dueAt: dueAt + i,
        createdAt: T0,
      }));
      await store.insertTimers(db, timers);
      return { db, execution, timers };
    }

    // Timers of other tests share the table: claims use a `now` before any other test's due times.
    it("claims due timers once across repeated calls, earliest first", async () => {
      const { db, timers } = await seedTimers(5, 1_000);
      await store.insertTimers(db, []);
      const overdue = await store.listOverdueTimers(db, 1_002);
      expect(overdue.map((t) => t.id)).toEqual(timers.slice(0, 3).map((t) => t.id));
      const first = await store.claimDueTimers(db, 1_002, 2);
      expect(first.map((t) => [t.id, t.status])).toEqual(timers.slice(0, 2).map((t) => [t.id, "fired"]));
      const second = await store.claimDueTimers(db, 1_002, 10);
      expect(second.map((t) => t.id)).toEqual([timers[2]?.id]);
      expect(await store.claimDueTimers(db, 1_002, 10)).toEqual([]);
      expect(await store.cancelTimer(db, timers[0]?.id ?? "")).toBe(false);
      expect(await store.cancelTimer(db, timers[3]?.id ?? "")).toBe(true);
      expect((await store.claimDueTimers(db, 1_010, 10)).map((t) => t.id)).toEqual([timers[4]?.id]);
    });

    it("cancels every pending timer of an execution", async () => {
      const { db, execution, timers } = await seedTimers(3, 2_000);
      await store.claimDueTimers(db, 2_000, 1);
      expect(await store.cancelTimersOfExecution(db, execution.id)).toBe(2);
      expect(await store.claimDueTimers(db, 2_100, 10)).toEqual([]);
      expect(timers).toHaveLength(3);
    });

    it("fires each timer once with 4 concurrent claimers", async () => {
      const { timers } = await seedTimers(40, 3_000);
      const claimed: string[] = [];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (;;) {
            const batch = await store.withTransaction(database, (trx) => store.claimDueTimers(trx, 3_100, 3));
            if (batch.length === 0) return;
            claimed.push(...batch.map((t) => t.id));
          }
        }),
      );
      expect(claimed).toHaveLength(timers.length);
      expect(new Set(claimed)).toEqual(new Set(timers.map((t) => t.id)));
    });

    it("reports the next due time", async () => {
      const { db } = await seedTimers(1, 500);
      expect(await store.findNextTimerDue(db)).toBe(500);
      await store.claimDueTimers(db, 500, 10);
      expect(await store.findNextTimerDue(db)).not.toBe(500);
    });
  });

  describe("templates and leads", () => {
    it("creates, lists and gets templates and groups within the organization", async () => {
      const { db, org, channel } = await seed();
      const components = [{ type: "BODY", text: "Hello {{1}}" }];
      const template = await store.createTemplate(db, {
        organizationId: org.id,
        channelId: channel.id,
        name: "welcome",
        language: "en_US",
        category: "MARKETING",
        status: "APPROVED",
        components,
        at: T0,
      });
      expect(template.components).toEqual(components);
      expect(await store.getTemplate(db, org.id, template.id)).toEqual(template);
      expect(await store.listTemplates(db, org.id, { name: "welcome" })).toEqual([template]);
      expect(await store.listTemplates(db, org.id, { channelId: randomUUID() })).toEqual([]);
      const group = await store.createTemplateGroup(db, {
        organizationId: org.id,
        name: "g",
        templateIds: [template.id, "b"],
        at: T0,
      });
      expect(await store.getTemplateGroup(db, org.id, group.id)).toEqual(group);
      expect(await store.listTemplateGroups(db, org.id)).toEqual([group]);
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.getTemplate(db, other.id, template.id)).toBeNull();
      expect(await store.getTemplateGroup(db, other.id, group.id)).toBeNull();
      expect(await store.listTemplates(db, other.id)).toEqual([]);
    });

    it("creates, lists, links and gets leads within the organization", async () => {
      const { db, org, flow, contact } = await seed();
      const lead = await store.createLead(db, {
        organizationId: org.id,
        flowId: flow.id,
        contactId: contact.id,
        payload: { source: "web", n: 1 },
        at: T0,
      });
      expect(lead).toMatchObject({ executionId: null, payload: { source: "web", n: 1 } });
      expect(await store.setLeadExecution(db, org.id, lead.id, "exec-1")).toBe(true);
      expect(await store.getLead(db, org.id, lead.id)).toMatchObject({ executionId: "exec-1" });
      expect((await store.listLeads(db, org.id, { flowId: flow.id })).total).toBe(1);
      const other = await store.createOrganization(db, { name: "Other", at: T0 });
      expect(await store.getLead(db, other.id, lead.id)).toBeNull();
      expect(await store.setLeadExecution(db, other.id, lead.id, "x")).toBe(false);
      expect((await store.listLeads(db, other.id)).total).toBe(0);
    });
  });

  describe("transactions", () => {
    it("commits together or not at all", async () => {
      const { org, channel, contact } = await seed();
      const row = {
        organizationId: org.id,
        channelId: channel.id,
        contactId: contact.id,
        payload: {},
        receivedAt: T0,
      };
      await expect(
        store.withTransaction(database, async (trx) => {
          await store.insertInboundMessages(trx, [{ ...row, externalMessageId: "rolled-back" }]);
          throw new Error("step failed");
        }),
      ).rejects.toThrow("step failed");
      await store.withTransaction(database, async (trx) => {
        await store.insertInboundMessages(trx, [{ ...row, externalMessageId: "committed" }]);
        await store.publishFlow(trx, org.id, randomUUID(), []);
      });
      const pending = await store.listPendingInboundForContact(database.db, contact.id, 10);
      expect(pending.map((m) => m.externalMessageId)).toEqual(["committed"]);
    });
  });
});

describe("openDatabase", () => {
  it("opens an in-memory SQLite with foreign keys on and migrates it", async () => {
    const database = await openDatabase({ url: ":memory:", dataDir: "/nonexistent" });
    try {
      expect(database.dialect).toBe("sqlite");
      const reports = await migrateToLatest(database.db);
      expect(reports.every((report) => report.status === "applied")).toBe(true);
      const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
      expect(rows[0]?.foreign_keys).toBe(1);
    } finally {
      await database.close();
    }
  });

  it("opens the SQLite file in WAL mode, creating the data directory", async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), "parley-open-")), "nested", "data");
    const database = await openDatabase({ dataDir });
    try {
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      expect(rows[0]?.journal_mode).toBe("wal");
      const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(database.db);
      expect(busy.rows[0]?.timeout).toBe(5000);
      expect(existsSync(join(dataDir, "parley.db"))).toBe(true);
    } finally {
      await database.close();
      await rm(dirname(dirname(dataDir)), { recursive: true, force: true });
    }
  });

  it("tells PostgreSQL URLs apart", () => {
    expect(isPostgresUrl("postgres://u@h/db")).toBe(true);
    expect(isPostgresUrl("postgresql://u@h/db")).toBe(true);
    expect(isPostgresUrl("./data/parley.db")).toBe(false);
  });
});

describe("secret box", () => {
  const key = randomBytes(32);
  const box = createSecretBox(key);

  it("round-trips text with a fresh IV each time", () => {
    const plain = JSON.stringify({ token: "EAAG…", appSecret: "s3cr3t ünicode" });
    const sealed = box.seal(plain);
    expect(sealed.startsWith("v1:")).toBe(true);
    expect(sealed).not.toContain("s3cr3t");
    expect(box.open(sealed)).toBe(plain);
    expect(box.seal(plain)).not.toBe(sealed);
    expect(box.open(box.seal(""))).toBe("");
  });

  it("refuses tampered, foreign-key and malformed values", () => {
    const sealed = box.seal("secret");
    const bytes = Buffer.from(sealed.slice(3), "base64");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`v1:${bytes.toString("base64")}`)).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow();
    expect(() => box.open("secret")).toThrow(/v1:/);
    expect(() => box.open("v1:AAAA")).toThrow(/truncated/);
    expect(() => createSecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
