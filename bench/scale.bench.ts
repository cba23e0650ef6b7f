/**
 * `npm run bench:scale`: conversation turns per second through the signed WhatsApp webhook to the
 * fake Graph API, 200 contacts in a closed loop (the scale-out test's driver), for embedded mode (one
 * process, SQLite, in-process lanes) and for PostgreSQL + Redis with 1 web + 1 and 1 web + 2 worker
 * processes. Prints one JSON line per setup. Options: --contacts 200 --answers 9.
 * Needs PostgreSQL and Redis on 127.0.0.1 (PARLEY_TEST_DATABASE_URL, PARLEY_TEST_REDIS_URL).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { sealChannelSecrets } from "../src/server/channel-secrets.ts";
import { createSecretBox, type Database, openDatabase } from "../src/store/index.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { createChannel } from "../src/store/repositories/channels.ts";
import { createOrganization } from "../src/store/repositories/organizations.ts";
import { startFakeGraphApi } from "../test/fakes/graph-api.ts";
import { POSTGRES_TEST_URL } from "../test/support/databases.ts";
import { deleteRedisKeys, newRedisPrefix, REDIS_TEST_URL } from "../test/support/queues.ts";
import type { ScaleOutSetup } from "../test/support/scale-out-child.ts";
import { publishEchoFlow, runConversations } from "../test/support/scale-out-driver.ts";
import { openSchema } from "../test/support/scale-out-schema.ts";

const CHILD = new URL("../test/support/scale-out-child.ts", import.meta.url).pathname;
const PHONE_NUMBER_ID = "1080000000001";
const APP_SECRET = "bench-app-secret";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}
const CONTACTS = option("contacts", 200);
const ANSWERS = option("answers", 9);

const graph = await startFakeGraphApi({ latencyMs: 2 });
const secretKey = randomBytes(32).toString("hex");
const seed = async (database: Database, organizationId: string) => {
  const channel = await createChannel(database.db, {
    organizationId,
    kind: "whatsapp",
    name: "Bench",
    externalId: PHONE_NUMBER_ID,
    secretsEncrypted: sealChannelSecrets(
      { kind: "whatsapp", token: "t", appSecret: APP_SECRET, verifyToken: "v" },
      createSecretBox(Buffer.from(secretKey, "hex")),
    ),
    at: Date.now(),
  });
  await publishEchoFlow(database, organizationId);
  return channel.id;
};

try {
  await measure("embedded (SQLite, in-process)", 0);
  await measure("scale-out (PostgreSQL + Redis)", 1);
  await measure("scale-out (PostgreSQL + Redis)", 2);
} finally {
  await graph.close();
}

async function measure(mode: string, workers: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "parley-bench-scale-"));
  const children: ChildProcess[] = [];
  const redisPrefix = newRedisPrefix();
  let channelId = "";
  let dropSchema: () => Promise<void> = async () => undefined;
  const setup: ScaleOutSetup = {
    databaseUrl: POSTGRES_TEST_URL,
    schema: "",
    redisUrl: REDIS_TEST_URL,
    redisPrefix,
    graphUrl: graph.url,
    phoneNumberId: PHONE_NUMBER_ID,
    secretKey,
  };
  try {
    if (workers === 0) {
      const database = await openDatabase({ dataDir: dir });
      await migrateToLatest(database.db);
      const organization = await createOrganization(database.db, { name: "Bench", at: Date.now() });
      channelId = await seed(database, organization.id);
      await database.close();
      setup.dataDir = dir;
    } else {
      const schema = await openSchema(async (database, organizationId) => {
        channelId = await seed(database, organizationId);
      });
      setup.schema = schema.name;
      dropSchema = schema.drop;
    }
    const setupFile = join(dir, "setup.json");
    await writeFile(setupFile, JSON.stringify(setup));
    const roles = workers === 0 ? ["embedded"] : ["web", ...Array.from({ length: workers }, () => "worker")];
    const urls = await Promise.all(roles.map((role) => start(role, setupFile, children)));
    const started = Date.now();
    await runConversations({
      graph,
      webhookUrl: `${urls[0]}/api/webhook/whatsapp/${channelId}`,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
      phonePrefix: `49${workers}`,
      contacts: CONTACTS,
      turns: ANSWERS,
      timeoutMs: 180_000,
    });
    const seconds = (Date.now() - started) / 1000;
    const turns = CONTACTS * (ANSWERS + 1);
    const turnsPerSecond = Math.round(turns / seconds);
    console.log(
      JSON.stringify({ bench: "scale", mode, workers, contacts: CONTACTS, turns, seconds, turnsPerSecond }),
    );
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await dropSchema();
    if (workers > 0) await deleteRedisKeys(redisPrefix);
    await rm(dir, { recursive: true, force: true });
  }
}

function start(role: string, setupFile: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, role, setupFile], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${role} exited early (${code})`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("READY")) resolve(line.slice("READY ".length));
    });
  });
}
