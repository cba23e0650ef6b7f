/**
 * Scale-out across processes (DESIGN §7): 1 web + 2 worker processes on PostgreSQL + Redis, 200
 * contacts × 10 turns through the signed WhatsApp webhook and the fake Graph API. Every contact's
 * replies arrive in order, none lost, none doubled; then again with one worker SIGKILLed mid-run,
 * where a reply may repeat only if its send was in flight (claimed) when the worker died.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealChannelSecrets } from "../src/server/channel-secrets.ts";
import { createSecretBox } from "../src/store/index.ts";
import { startFakeGraphApi } from "./fakes/graph-api.ts";
import { POSTGRES_TEST_URL, testDatabases } from "./support/databases.ts";
import {
  bullMqQueue,
  deleteRedisKeys,
  newRedisPrefix,
  REDIS_TEST_URL,
  testQueues,
} from "./support/queues.ts";
import type { ScaleOutSetup } from "./support/scale-out-child.ts";
import {
  collapseRepeats,
  countReplies,
  publishEchoFlow,
  runConversations,
  type ScaleRun,
} from "./support/scale-out-driver.ts";
import { openSchema, type TestSchema } from "./support/scale-out-schema.ts";

const CHILD = new URL("./support/scale-out-child.ts", import.meta.url).pathname;
const CONTACTS = 200;
/** Answers after "go": 10 turns (inbound messages) per contact. */
const ANSWERS = 9;
const APP_SECRET = "scale-app-secret";
const PHONE_NUMBER_ID = "1070000000001";

const available =
  (await testDatabases()).some((database) => database.name === "postgres") &&
  (await testQueues()).includes(bullMqQueue);
if (!available) console.warn("scale-out test not run: it needs PostgreSQL and Redis on 127.0.0.1");

interface Child {
  process: ChildProcess;
  url: string;
  requeued: number;
}

describe.runIf(available)("scale-out: 1 web + 2 workers on PostgreSQL + Redis", () => {
  const cleanups: Array<() => Promise<void>> = [];
  const children: Child[] = [];
  let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
  let web: Child;
  let channelId = "";
  let store: TestSchema;

  beforeAll(async () => {
    graph = await startFakeGraphApi({ latencyMs: 2 });
    cleanups.push(() => graph.close());
    const secretKey = randomBytes(32).toString("hex");
    const schema = await openSchema(async (database, organizationId) => {
      const { createChannel } = await import("../src/store/repositories/channels.ts");
      const channel = await createChannel(database.db, {
        organizationId,
        kind: "whatsapp",
        name: "Scale",
        externalId: PHONE_NUMBER_ID,
        secretsEncrypted: sealChannelSecrets(
          { kind: "whatsapp", token: "scale-token", appSecret: APP_SECRET, verifyToken: "v" },
          createSecretBox(Buffer.from(secretKey, "hex")),
        ),
        at: Date.now(),
      });
      channelId = channel.id;
      await publishEchoFlow(database, organizationId);
    });
    store = schema;
    cleanups.push(schema.drop);
    const redisPrefix = newRedisPrefix();
    cleanups.push(() => deleteRedisKeys(redisPrefix));
    const dir = await mkdtemp(join(tmpdir(), "parley-scale-test-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const setup: ScaleOutSetup = {
      databaseUrl: POSTGRES_TEST_URL,
      schema: schema.name,
      redisUrl: REDIS_TEST_URL,
      redisPrefix,
      graphUrl: graph.url,
      phoneNumberId: PHONE_NUMBER_ID,
      secretKey,
    };
    const setupFile = join(dir, "setup.json");
    await writeFile(setupFile, JSON.stringify(setup));
    [web] = await Promise.all([
      spawnChild("web", setupFile),
      spawnChild("worker", setupFile),
      spawnChild("worker", setupFile),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  function spawnChild(role: "web" | "worker", setupFile: string): Promise<Child> {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, role, setupFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const entry: Child = { process: child, url: "", requeued: 0 };
    children.push(entry);
    return new Promise((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`${role} exited early (${code})`)));
      createInterface({ input: child.stdout }).on("line", (line) => {
        const [kind, value = ""] = line.split(" ");
        if (kind === "REQUEUED") entry.requeued += Number(value);
        if (kind === "READY") {
          entry.url = value;
          resolve(entry);
        }
      });
    });
  }

  const run = (label: string, onProgress?: (run: ScaleRun) => void) =>
    runConversations({
      graph,
      webhookUrl: `${web.url}/api/webhook/whatsapp/${channelId}`,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
      phonePrefix: label,
      contacts: CONTACTS,
      turns: ANSWERS,
      timeoutMs: 60_000,
      ...(onProgress ? { onProgress } : {}),
    });

  /** Every message of the run stepped once (one execution per contact) and every reply row sent once. */
  async function expectStoreSettled(phonePrefix: string): Promise<void> {
    const db = store.database.db;
    const contacts = db.selectFrom("contacts").select("id").where("external_id", "like", `${phonePrefix}%`);
    const inbound = await db
      .selectFrom("inbound_messages")
      .select(["status", (eb) => eb.fn.countAll<string>().as("n")])
      .where("contact_id", "in", contacts)
      .groupBy("status")
      .execute();
    expect(inbound.map((row) => [row.status, Number(row.n)])).toEqual([
      ["processed", CONTACTS * (ANSWERS + 1)],
    ]);
    const outbound = await db
      .selectFrom("outbound_messages")
      .select(["status", (eb) => eb.fn.countAll<string>().as("n")])
      .where("contact_id", "in", contacts)
      .groupBy("status")
      .execute();
    expect(outbound.map((row) => [row.status, Number(row.n)])).toEqual([
      ["sent", CONTACTS * (1 + 2 * ANSWERS)],
    ]);
    const executions = await db
      .selectFrom("executions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("contact_id", "in", contacts)
      .executeTakeFirstOrThrow();
    expect(Number(executions.n)).toBe(CONTACTS);
  }

  it("delivers every contact's replies in order, none lost, none doubled", async () => {
    const started = Date.now();
    const result = await run("491");
    const seconds = (Date.now() - started) / 1000;
    console.info(`scale-out: ${CONTACTS * (ANSWERS + 1)} turns in ${seconds.toFixed(1)} s with 2 workers`);
    for (const [phone, texts] of result.received) expect(texts, phone).toEqual(result.expected(phone));
    expect(result.received.size).toBe(CONTACTS);
    expect(countReplies(result)).toEqual({ sent: CONTACTS * (1 + 2 * ANSWERS), duplicates: 0 });
    await expectStoreSettled("491");
  }, 70_000);

  it("loses nothing when a worker is SIGKILLed mid-run; repeats only sends it had in flight", async () => {
    const victim = children[2];
    if (!victim) throw new Error("no second worker");
    const survivor = children[1];
    let killed = false;
    const result = await run("492", (progress) => {
      if (!killed && progress.replies >= (CONTACTS * (1 + 2 * ANSWERS)) / 3) {
        killed = true;
        victim.process.kill("SIGKILL");
      }
    });
    expect(killed).toBe(true);
    expect(victim.process.signalCode).toBe("SIGKILL");
    // Adjacent repeats are the resent rows; with them collapsed, each contact's line is exact.
    for (const [phone, texts] of result.received) {
      expect(collapseRepeats(texts), phone).toEqual(result.expected(phone));
    }
    const { duplicates } = countReplies(result);
    console.info(
      `scale-out kill: ${duplicates} replies sent twice, ${survivor?.requeued ?? 0} claimed rows requeued`,
    );
    expect(duplicates).toBeLessThanOrEqual(survivor?.requeued ?? 0);
    await expectStoreSettled("492");
  }, 70_000);
});

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once("exit", resolve));
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
