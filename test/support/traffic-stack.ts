/**
 * One real Parley process (`npm start` on its own temp data dir) wired to a fake Graph API, with its
 * flows published through the API; plus readers for what reached the fake and what the store holds.
 */

import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  type FakeGraphApi,
  type FakeGraphApiOptions,
  type RecordedCall,
  startFakeGraphApi,
} from "../fakes/graph-api.ts";
import { type SpawnedParley, spawnParley } from "./spawn-parley.ts";
import { parleyEnv, publishFlowViaApi, unpublishAllFlows, WA } from "./whatsapp-traffic.ts";

export interface TrafficStack {
  graph: FakeGraphApi;
  parley: SpawnedParley;
  flowIds: string[];
  /** SIGKILLs whatever still runs, closes the fake, removes the data dir. */
  dispose(): Promise<void>;
}

export interface TrafficStackOptions {
  graph?: FakeGraphApiOptions;
  env?: Record<string, string>;
  flows?: Record<string, unknown>[];
}

/** Starts the fake Graph API, then Parley pointed at it, then publishes `flows`. */
export async function startTrafficStack(options: TrafficStackOptions = {}): Promise<TrafficStack> {
  const graph = await startFakeGraphApi({ accessToken: WA.token, ...options.graph });
  let parley: SpawnedParley;
  try {
    parley = await spawnParley({ env: parleyEnv(graph.url, options.env) });
  } catch (error) {
    await graph.close();
    throw error;
  }
  const stack: TrafficStack = {
    graph,
    parley,
    flowIds: [],
    async dispose() {
      await stack.parley.stop("SIGKILL");
      await stack.parley.cleanUp();
      await graph.close();
    },
  };
  try {
    await unpublishAllFlows(parley.url);
    for (const flow of options.flows ?? []) stack.flowIds.push(await publishFlowViaApi(parley.url, flow));
  } catch (error) {
    await stack.dispose();
    throw error;
  }
  return stack;
}

/** Restarts Parley on the same data dir and the same fake (after a stop or a kill). */
export async function restartParley(stack: TrafficStack, env: Record<string, string> = {}): Promise<void> {
  stack.parley = await spawnParley({ dataDir: stack.parley.dataDir, env: parleyEnv(stack.graph.url, env) });
}

/** `/messages` sends (not read receipts) to `waId`, optionally only those the fake accepted. */
export function sendsTo(graph: FakeGraphApi, waId: string, acceptedOnly = true): RecordedCall[] {
  return graph
    .messagesTo(waId)
    .filter((call) => !isReadReceipt(call) && (!acceptedOnly || call.status === 200));
}

/** What a send says, in one string: the text, the interactive body, or `template:<name>`. */
export function describeSend(call: RecordedCall): string {
  const body = asRecord(call.body);
  const field = (value: unknown, key: string): unknown => asRecord(value)[key];
  if (body.type === "text") return String(field(body.text, "body"));
  if (body.type === "interactive") return String(field(field(body.interactive, "body"), "text"));
  if (body.type === "template") return `template:${String(field(body.template, "name"))}`;
  return `${String(body.type)}?`;
}

/** Texts of the accepted sends to `waId`, in the order the fake received them. */
export function repliesTo(graph: FakeGraphApi, waId: string): string[] {
  return sendsTo(graph, waId).map(describeSend);
}

export function isReadReceipt(call: RecordedCall): boolean {
  return asRecord(call.body).status === "read";
}

/** Opens the stopped (or running: WAL allows it) server's SQLite file; close it when done. */
export function openStore(dataDir: string, readonly = true): SqliteDatabase.Database {
  const db = new SqliteDatabase(join(dataDir, "parley.db"), { readonly, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return db;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
