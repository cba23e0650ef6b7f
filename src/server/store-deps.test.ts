import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  approveApiClient,
  createApiClient,
  type Database,
  getDefaultBot,
  listMembershipsOfUser,
  migrateToLatest,
  openDatabase,
} from "../store/index.ts";
import { generateApiKey, hashApiKey } from "./api-keys.ts";
import { loadConfig } from "./config.ts";
import { bootstrapOrganization, createChannelSecretBox, createStoreDeps } from "./store-deps.ts";

const SECRET = "33".repeat(32);
let database: Database;
beforeEach(async () => {
  database = await openDatabase({ url: ":memory:", dataDir: tmpdir() });
  await migrateToLatest(database.db);
});
afterEach(async () => {
  await database.close();
});

function deps() {
  const dir = mkdtempSync(join(tmpdir(), "parley-deps-"));
  const config = loadConfig({ PARLEY_SECRET_KEY: SECRET, LOG_LEVEL: "silent" }, { cwd: dir });
  return createStoreDeps({ database, config, secretBox: createChannelSecretBox(config.security.secretKey) });
}

describe("bootstrapOrganization", () => {
  it("creates organization, default bot, owner and membership once", async () => {
    const input = { name: "Acme", adminEmail: "Boss@Acme.test", adminPassword: "a very long password" };
    const made = await bootstrapOrganization(database, input, 1000);
    if (!made) throw new Error("expected a bootstrap");
    expect(made.organization.name).toBe("Acme");
    expect(made.user.email).toBe("boss@acme.test");
    expect((await getDefaultBot(database.db, made.organization.id))?.isDefault).toBe(true);
    expect(await listMembershipsOfUser(database.db, made.user.id)).toEqual([
      expect.objectContaining({ organizationId: made.organization.id, role: "owner" }),
    ]);
    expect(await bootstrapOrganization(database, { ...input, adminEmail: "other@acme.test" })).toBeNull();
  });
});

describe("createStoreDeps", () => {
  it("authenticates by e-mail and password into the first membership's organization", async () => {
    const made = await bootstrapOrganization(database, {
      name: "Acme",
      adminEmail: "boss@acme.test",
      adminPassword: "a very long password",
    });
    if (!made) throw new Error("expected a bootstrap");
    const store = deps();
    const found = await store.authenticateUser("BOSS@acme.test", "a very long password");
    expect(found).toEqual({
      organizationId: made.organization.id,
      user: {
        id: made.user.id,
        username: "boss@acme.test",
        displayName: "boss",
        email: "boss@acme.test",
        role: "owner",
      },
    });
    expect(await store.authenticateUser("boss@acme.test", "wrong password")).toBeNull();
    expect(await store.authenticateUser("nobody@acme.test", "a very long password")).toBeNull();
    expect((await store.findUser(made.user.id, made.organization.id))?.role).toBe("owner");
    expect(await store.findUser(made.user.id, "another-org")).toBeNull();
    expect(await store.checkDatabase()).toBe(true);
  });

  it("exchanges only an approved client's right key", async () => {
    const made = await bootstrapOrganization(database, {
      name: "Acme",
      adminEmail: "boss@acme.test",
      adminPassword: "a very long password",
    });
    if (!made) throw new Error("expected a bootstrap");
    const apiKey = generateApiKey();
    const client = await createApiClient(database.db, {
      organizationId: made.organization.id,
      clientId: "parley_test",
      apiKeyHash: hashApiKey(apiKey),
      at: 1,
    });
    const store = deps();
    expect(await store.exchangeApiKey("parley_test", apiKey)).toBeNull();
    await approveApiClient(database.db, made.organization.id, client.id);
    expect(await store.exchangeApiKey("parley_test", apiKey)).toEqual({
      kind: "api",
      organizationId: made.organization.id,
      clientId: "parley_test",
      role: "admin",
    });
    expect(await store.exchangeApiKey("parley_test", `${apiKey}x`)).toBeNull();
    expect(await store.exchangeApiKey("parley_unknown", apiKey)).toBeNull();
  });
});
