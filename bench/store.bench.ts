/**
 * `npm run bench:store -- [--executions 1000000] [--contacts 200] [--seconds 20]`: DESIGN §10's "memory
 * flat in the number of stored conversations". Prepares two data dirs the same way (first start, the
 * 3-turn flow published), fills one with N contacts each holding a waiting execution and its timeout
 * timer (bulk inserts straight into SQLite), runs the e2e closed-loop load on both, and prints one
 * JSON line with both results and the ratios (target: turn p50 and RSS within 20 %).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { BENCH_ENV, type E2eResult, publishBenchFlow, runE2eLoad } from "../test/support/e2e-load.ts";
import { spawnParley } from "../test/support/spawn-parley.ts";
import { parleyEnv, WA } from "../test/support/whatsapp-traffic.ts";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const EXECUTIONS = option("executions", 1_000_000);
const CONTACTS = option("contacts", 200);
const SECONDS = option("seconds", 20);
const DAY_MS = 86_400_000;
const BATCH = 50_000;

/** A data dir after a first start with the bench flow published and the server stopped. */
async function prepareDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-store-"));
  const parley = await spawnParley({ dataDir, env: parleyEnv("http://127.0.0.1:9", BENCH_ENV) });
  await publishBenchFlow(parley.url);
  await parley.stop("SIGTERM");
  return dataDir;
}

/** Inserts `count` contacts, each with an execution waiting at the e-mail question and its timer. */
function fillStore(dataDir: string, count: number): number {
  const started = performance.now();
  const db = new SqliteDatabase(join(dataDir, "parley.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const ids = db
    .prepare(
      `select c.organization_id as org, c.id as channel, f.id as flow, f.published_version_id as version
       from channels c join flows f on f.organization_id = c.organization_id
       where c.external_id = ? and f.name = '3 turns' and f.is_published = 1`,
    )
    .get(WA.phoneNumberId);
  if (!isIds(ids)) throw new Error("the prepared store has no channel or published bench flow");
  const contact = db.prepare(
    `insert into contacts (id, organization_id, channel_id, external_id, name, phone, attributes_json,
       tags_json, last_inbound_at, opted_out, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, '{}', '[]', ?, 0, ?, ?)`,
  );
  const execution = db.prepare(
    `insert into executions (id, organization_id, flow_id, flow_version_id, contact_id, channel_id, status,
       current_node_id, state_json, trigger_json, started_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 'waiting_for_input', 'e', ?, ?, ?, ?)`,
  );
  const timer = db.prepare(
    `insert into timers (id, organization_id, execution_id, contact_id, kind, node_id, due_at, status, created_at)
     values (?, ?, ?, ?, 'timeout', 'e', ?, 'pending', ?)`,
  );
  const trigger = { kind: "keyword", text: "hi", keyword: "hi" };
  const insertBatch = db.transaction((from: number, to: number) => {
    const now = Date.now();
    for (let index = from; index < to; index++) {
      const phone = `4470${String(index).padStart(8, "0")}`;
      const contactId = randomUUID();
      const executionId = randomUUID();
      const timerId = randomUUID();
      const state = {
        version: 1,
        status: "waiting_for_input",
        currentNodeId: "e",
        waiting: { nodeId: "e", reason: "input", attempts: 0, timerId },
        visitedNodes: ["s", "g", "q", "e"],
        variables: { topic: "Support", topic_id: "b" },
        trigger,
        error: null,
      };
      contact.run(contactId, ids.org, ids.channel, phone, `Stored ${index}`, `+${phone}`, now, now, now);
      execution.run(
        executionId,
        ids.org,
        ids.flow,
        ids.version,
        contactId,
        ids.channel,
        JSON.stringify(state),
        JSON.stringify(trigger),
        now,
        now,
      );
      timer.run(timerId, ids.org, executionId, contactId, now + DAY_MS, now);
    }
  });
  for (let from = 0; from < count; from += BATCH) insertBatch(from, Math.min(count, from + BATCH));
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return Math.round((performance.now() - started) / 1000);
}

function isIds(row: unknown): row is { org: string; channel: string; flow: string; version: string } {
  return typeof row === "object" && row !== null && "org" in row && "version" in row && row.version !== null;
}

const ratio = (full: number, empty: number) => (empty > 0 ? Math.round((full / empty) * 100) / 100 : null);
/** As in bench:e2e, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": one profile per run, empty store first. */
const nodeArgs = process.env.PARLEY_BENCH_NODE_ARGS?.split(" ").filter(Boolean);
const load = (dataDir: string): Promise<E2eResult> =>
  runE2eLoad({
    contacts: CONTACTS,
    seconds: SECONDS,
    dataDir,
    phonePrefix: "3460",
    ...(nodeArgs?.length ? { nodeArgs } : {}),
  });

const emptyDir = await prepareDataDir();
const fullDir = await prepareDataDir();
try {
  const fillSeconds = fillStore(fullDir, EXECUTIONS);
  const dbMb = Math.round(statSync(join(fullDir, "parley.db")).size / 1048576);
  const empty = await load(emptyDir);
  const full = await load(fullDir);
  console.log(
    JSON.stringify({
      bench: "store",
      store: "sqlite",
      executions: EXECUTIONS,
      fill_seconds: fillSeconds,
      db_mb: dbMb,
      empty,
      full,
      turn_p50_ratio: ratio(full.turn_p50_ms, empty.turn_p50_ms),
      turn_p99_ratio: ratio(full.turn_p99_ms, empty.turn_p99_ms),
      rss_ratio: ratio(full.rss_mb, empty.rss_mb),
      turns_per_s_ratio: ratio(full.turns_per_s, empty.turns_per_s),
      target_ratio_max: 1.2,
    }),
  );
} finally {
  for (const dir of [emptyDir, fullDir]) rmSync(dir, { recursive: true, force: true });
}
