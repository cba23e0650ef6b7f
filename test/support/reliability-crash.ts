/**
 * The server-level crash case: contacts talk to the echo flow, the server is SIGKILLed once a fraction
 * of the replies went out, restarted on the same data dir, and the store and the fake Graph API are
 * compared: what was acknowledged, what was sent, what was sent twice and what was in flight.
 */

import { collapseRepeats, converse, echoScript, expectedEchoReplies, sleep } from "./reliability-load.ts";
import { ECHO_PROMPT } from "./traffic-flows.ts";
import { describeSend, openStore, restartParley, sendsTo, type TrafficStack } from "./traffic-stack.ts";
import { waitFor } from "./whatsapp-traffic.ts";

export interface CrashOptions {
  contacts: number;
  messages: number;
  /** Kill once this fraction of the load's messages was acknowledged: the rest is still to come. */
  killAtFraction: number;
}

export interface CrashReport {
  killedMidLoad: boolean;
  acknowledged: number;
  sendsBeforeKill: number;
  /** Sends the fake accepted before the kill whose "sent" mark the store did not keep. */
  inFlight: number;
  /** Accepted sends beyond one per outbox row. */
  duplicates: number;
  /** One send per contact line can be in flight. */
  bound: number;
  /** Acknowledged message ids the store does not hold as processed. */
  unprocessed: string[];
  unsentRows: number;
  /** Contacts whose acknowledged messages lack an echo. */
  missingReplies: string[];
  /** Contacts whose replies, repeats collapsed, are not the echo flow's sequence. */
  outOfOrder: string[];
}

export async function crashMidLoad(stack: TrafficStack, options: CrashOptions): Promise<CrashReport> {
  const { graph } = stack;
  const firstRun = stack.parley;
  const contacts = Array.from(
    { length: options.contacts },
    (_, index) => `1555400${String(index).padStart(4, "0")}`,
  );
  const script = echoScript(options.messages);
  const total = options.contacts * script.length;
  const acked = new Map<string, string[]>(contacts.map((from) => [from, []]));
  const ackedIds: string[] = [];
  let killedAt = 0;
  const watcher = setInterval(() => {
    if (killedAt === 0 && ackedIds.length >= total * options.killAtFraction) {
      killedAt = Date.now();
      void firstRun.stop("SIGKILL");
    }
  }, 2);
  await Promise.all(
    contacts.map((from) =>
      converse(firstRun.url, from, script, {
        onAck: (id, text) => {
          ackedIds.push(id);
          acked.get(from)?.push(text);
        },
      }),
    ),
  );
  clearInterval(watcher);
  const killedMidLoad = killedAt > 0;
  await firstRun.stop("SIGKILL");
  const restartedAt = Date.now();
  await restartParley(stack);

  const repliesFor = (texts: readonly string[]) => (texts.length === 0 ? [] : expectedEchoReplies(texts));
  const echoesOwed = (from: string) => repliesFor(acked.get(from) ?? []).filter((r) => r !== ECHO_PROMPT);
  for (const from of contacts) {
    await waitFor(`${from}'s echoes after the restart`, () => {
      const got = new Set(sendsTo(graph, from).map(describeSend));
      return echoesOwed(from).every((echo) => got.has(echo));
    });
  }
  await sleep(1000); // let the last prompts leave
  await stack.parley.stop();

  const db = openStore(stack.parley.dataDir);
  try {
    const status = db.prepare("select status from inbound_messages where external_message_id = ?");
    const unprocessed = ackedIds.filter((id) => {
      const row = status.get(id);
      return !(typeof row === "object" && row !== null && "status" in row && row.status === "processed");
    });
    const count = (sql: string, ...params: number[]) => {
      const row = db.prepare(sql).get(...params);
      return typeof row === "object" && row !== null && "n" in row ? Number(row.n) : -1;
    };
    const rows = count("select count(*) as n from outbound_messages");
    const unsentRows = count("select count(*) as n from outbound_messages where status != 'sent'");
    const sentBeforeKill = count(
      "select count(*) as n from outbound_messages where sent_at < ?",
      restartedAt,
    );
    const accepted = contacts.flatMap((from) => sendsTo(graph, from));
    const sendsBeforeKill = accepted.filter((call) => call.at < restartedAt).length;
    const missingReplies: string[] = [];
    const outOfOrder: string[] = [];
    for (const from of contacts) {
      const seen = collapseRepeats(sendsTo(graph, from).map(describeSend));
      const texts = acked.get(from) ?? [];
      const got = new Set(seen);
      if (!echoesOwed(from).every((echo) => got.has(echo))) missingReplies.push(from);
      // One message past the last acknowledged one may have been stored just before the kill.
      const candidates = [texts, script.slice(0, texts.length + 1)].map(repliesFor);
      if (!candidates.some((expected) => JSON.stringify(expected) === JSON.stringify(seen)))
        outOfOrder.push(from);
    }
    return {
      killedMidLoad,
      acknowledged: ackedIds.length,
      sendsBeforeKill,
      inFlight: sendsBeforeKill - sentBeforeKill,
      duplicates: accepted.length - rows,
      bound: options.contacts,
      unprocessed,
      unsentRows,
      missingReplies,
      outOfOrder,
    };
  } finally {
    db.close();
  }
}
