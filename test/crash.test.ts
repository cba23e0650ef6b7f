/**
 * Kill -9 in the middle of a load, restart on the same data directory: every message that was
 * acknowledged is processed, every reply is sent, and a reply reaches the Graph API twice only if it
 * was in flight at the moment of the kill.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/store/database.ts";
import { startFakeGraphApi } from "./fakes/graph-api.ts";

const CHILD = new URL("./support/crash-child.ts", import.meta.url).pathname;
const CONTACTS = 20;
const MESSAGES = 20;
/** Replies the echo flow sends: a prompt after "go", then an echo and a prompt per message. */
const EXPECTED_REPLIES = CONTACTS * (1 + 2 * MESSAGES);

function run(
  args: string[],
  onLine: (line: string, child: ChildProcess) => void,
  onTick?: (child: ChildProcess) => void,
): Promise<number | null> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  createInterface({ input: child.stdout }).on("line", (line) => onLine(line, child));
  const ticker = onTick ? setInterval(() => onTick(child), 2) : undefined;
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      clearInterval(ticker);
      resolve(signal === "SIGKILL" ? -9 : code);
    }),
  );
}

describe("crash recovery (SIGKILL mid-load)", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("loses no acknowledged message and repeats only the sends in flight at the kill", async () => {
    const graph = await startFakeGraphApi({ latencyMs: 3 });
    const dataDir = await mkdtemp(join(tmpdir(), "parley-crash-"));
    cleanups.push(
      () => graph.close(),
      () => rm(dataDir, { recursive: true, force: true }),
    );

    const acked = new Map<string, string>();
    let killed = false;
    const kill = (child: ChildProcess) => {
      if (killed) return;
      killed = true;
      child.kill("SIGKILL");
    };
    const firstExit = await run(
      [dataDir, graph.url, "load", String(CONTACTS), String(MESSAGES)],
      (line, child) => {
        const [kind, id, text] = line.split(" ");
        if (kind === "ACK" && id && text) acked.set(id, text);
        if (kind === "LOADED") kill(child);
      },
      // Kill mid-load: a third of the replies have reached the Graph API, sends are in flight.
      (child) => {
        if (graph.calls.length >= EXPECTED_REPLIES / 3) kill(child);
      },
    );
    expect(firstExit).toBe(-9);
    const callsAtKill = graph.calls.length;

    let done = false;
    const secondExit = await run([dataDir, graph.url, "recover"], (line) => {
      if (line === "DONE") done = true;
    });
    expect(secondExit).toBe(0);
    expect(done).toBe(true);

    const database = await openDatabase({ dataDir });
    try {
      const inbound = await database.db
        .selectFrom("inbound_messages")
        .select(["external_message_id", "status"])
        .execute();
      const statusById = new Map(inbound.map((row) => [row.external_message_id, row.status]));
      for (const id of acked.keys()) expect(statusById.get(id), id).toBe("processed");

      const outbound = await database.db
        .selectFrom("outbound_messages")
        .select(["id", "status", "payload_json", "contact_id"])
        .execute();
      expect(outbound.every((row) => row.status === "sent")).toBe(true);

      // Every stored reply reached the Graph API at least once; a reply counts as a duplicate when
      // the Graph API received it more often than the outbox holds it.
      const received = new Map<string, number>();
      for (const call of graph.calls) {
        if (!call.path.endsWith("/messages") || call.status !== 200) continue;
        const body = call.body as { to?: string; text?: { body?: string } };
        const key = `${String(body.to).replace(/^\+/, "")}|${body.text?.body}`;
        received.set(key, (received.get(key) ?? 0) + 1);
      }
      const contacts = await database.db.selectFrom("contacts").select(["id", "external_id"]).execute();
      const phoneOf = new Map(contacts.map((row) => [row.id, row.external_id]));
      const expected = new Map<string, number>();
      for (const row of outbound) {
        const payload = JSON.parse(row.payload_json) as { text?: string };
        const key = `${phoneOf.get(row.contact_id)}|${payload.text}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      let duplicates = 0;
      for (const [key, count] of expected) {
        const got = received.get(key) ?? 0;
        expect(got, key).toBeGreaterThanOrEqual(count);
        duplicates += got - count;
      }
      expect(callsAtKill).toBeLessThan(EXPECTED_REPLIES);
      expect(outbound.length).toBeGreaterThan(callsAtKill);
      console.info(
        `crash test: ${acked.size} acknowledged before the kill, ${callsAtKill} Graph calls before it, ${outbound.length} replies, ${duplicates} sent twice`,
      );
      // At most one send per contact line can be in flight when the process dies.
      expect(duplicates).toBeLessThanOrEqual(CONTACTS);
    } finally {
      await database.close();
    }
  }, 120_000);
});
