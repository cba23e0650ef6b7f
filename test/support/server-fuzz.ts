/**
 * Hostile webhook traffic for a real server: seeded webhook-shaped bodies (webhook-fuzz-bodies.ts), some
 * signed right, some not, some cut short, with the status each must get. Bodies meant to be refused
 * carry marker ids and numbers, so the store can be searched for anything that leaked through.
 */
import { request as httpRequest } from "node:http";
import { request } from "undici";
import { openStore } from "./traffic-stack.ts";
import { createFuzzer, type Fuzzer, fuzzWhatsAppBody } from "./webhook-fuzz-bodies.ts";
import { readRssMb, readServerMetrics, signBody, WA, WEBHOOK_PATH } from "./whatsapp-traffic.ts";

/** Put into every refused body's message ids and phone numbers; never in an accepted one. */
export const REJECTED_MARK = "REJECTED";
export const REJECTED_NUMBER_PREFIX = "1666000";
/** Meta's 3 MB, read as MiB by Parley (WHATSAPP_WEBHOOK_BODY_LIMIT). */
const BODY_LIMIT = 3 * 1024 * 1024;

export interface FuzzCase {
  body: Buffer;
  headers: Record<string, string>;
  expected: number;
}

/** `count` cases from `seed`: about 70 % signed right, the rest unsigned, mis-signed or truncated. */
export function fuzzCases(seed: number, count: number): FuzzCase[] {
  const f = createFuzzer(seed);
  const cases: FuzzCase[] = [];
  while (cases.length < count) {
    const text = JSON.stringify(fuzzWhatsAppBody(f, WA.phoneNumberId));
    // Batches of thousands of messages belong to the route-level fuzz; here they would only make the
    // run's length depend on how fast the server works through 100,000 messages.
    if (text.length > 200_000) continue;
    cases.push(makeCase(f, text));
  }
  return cases;
}

function makeCase(f: Fuzzer, text: string): FuzzCase {
  const roll = f.int(100);
  if (roll < 70) return { body: Buffer.from(text), headers: signed(text), expected: expectedFor(text) };
  const marked = markRejected(text);
  if (roll < 80) {
    const cut = marked.slice(0, Math.max(1, f.int(marked.length - 1)));
    return { body: Buffer.from(cut), headers: signed(cut), expected: expectedFor(cut) };
  }
  if (roll < 85) return { body: Buffer.from(marked), headers: {}, expected: 401 };
  if (roll < 90)
    return { body: Buffer.from(marked), headers: signed(marked, "another-secret"), expected: 401 };
  if (roll < 95) {
    const header = f.pick(["sha256=", "sha1=abc", "", `sha256=${"0".repeat(64)}`]);
    return { body: Buffer.from(marked), headers: { "x-hub-signature-256": header }, expected: 401 };
  }
  return { body: Buffer.from(marked), headers: signed(`${marked} `), expected: 401 };
}

/** The named bad inputs: each is refused and marked. */
export function namedBadCases(): Record<string, FuzzCase> {
  const valid = markRejected(
    JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: WA.phoneNumberId },
                contacts: [{ profile: { name: "X" }, wa_id: "15550009999" }],
                messages: [
                  {
                    from: "15550009999",
                    id: "wamid.x",
                    timestamp: "1767261600",
                    type: "text",
                    text: { body: "go" },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
  );
  const huge = valid.replace('"go"', `"${"g".repeat(4 * 1024 * 1024)}"`);
  const malformed = `${valid.slice(0, -3)},,}`;
  return {
    "wrong signature": {
      body: Buffer.from(valid),
      headers: signed(valid, "not-the-app-secret"),
      expected: 401,
    },
    "no signature": { body: Buffer.from(valid), headers: {}, expected: 401 },
    "malformed JSON": { body: Buffer.from(malformed), headers: signed(malformed), expected: 400 },
    "4 MB body": { body: Buffer.from(huge), headers: signed(huge), expected: 413 },
  };
}

/** POSTs one case; the status answered (0 when the connection failed). */
export async function postCase(baseUrl: string, fuzzCase: FuzzCase): Promise<number> {
  if (fuzzCase.body.length > BODY_LIMIT) return postOversized(baseUrl, fuzzCase);
  try {
    const response = await request(`${baseUrl}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fuzzCase.headers },
      body: fuzzCase.body,
    });
    await response.body.dump();
    return response.statusCode;
  } catch {
    return 0;
  }
}

/**
 * Declares the whole length but sends only the first 64 KiB, then waits for the answer: Parley refuses
 * by Content-Length and closes; had all 4 MB been written, that close could reset the connection
 * before the client read the 413.
 */
function postOversized(baseUrl: string, fuzzCase: FuzzCase): Promise<number> {
  return new Promise((done) => {
    const headers = {
      "content-type": "application/json",
      "content-length": String(fuzzCase.body.length),
      ...fuzzCase.headers,
    };
    const outgoing = httpRequest(`${baseUrl}${WEBHOOK_PATH}`, { method: "POST", headers });
    outgoing.on("response", (response) => {
      response.resume();
      done(response.statusCode ?? 0);
      outgoing.destroy();
    });
    outgoing.on("error", () => done(0));
    outgoing.write(fuzzCase.body.subarray(0, 65_536));
  });
}

/** Runs `cases` with `parallel` requests at a time; returns the cases answered otherwise than expected. */
export async function runCases(baseUrl: string, cases: FuzzCase[], parallel = 8) {
  const wrong: { index: number; expected: number; got: number }[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < cases.length; index = next++) {
      const fuzzCase = cases[index];
      if (!fuzzCase) continue;
      const got = await postCase(baseUrl, fuzzCase);
      statuses.set(got, (statuses.get(got) ?? 0) + 1);
      if (got !== fuzzCase.expected) wrong.push({ index, expected: fuzzCase.expected, got });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { wrong, statuses };
}

/** Runs `cases` 2,000 at a time, reading the server's RSS and JS heap (MB) before and after each slice. */
export async function runTracingMemory(baseUrl: string, pid: number, cases: FuzzCase[]) {
  const rss = [readRssMb(pid) ?? 0];
  const heap = [(await readServerMetrics(baseUrl)).heapUsedMb ?? 0];
  const statuses = new Map<number, number>();
  const wrong: { index: number; expected: number; got: number }[] = [];
  for (let start = 0; start < cases.length; start += 2000) {
    const slice = await runCases(baseUrl, cases.slice(start, start + 2000));
    wrong.push(...slice.wrong.map((miss) => ({ ...miss, index: miss.index + start })));
    for (const [status, n] of slice.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
    rss.push(readRssMb(pid) ?? Number.POSITIVE_INFINITY);
    heap.push((await readServerMetrics(baseUrl)).heapUsedMb ?? Number.POSITIVE_INFINITY);
  }
  return { wrong, statuses, rss, heap };
}

/** After the server stopped: inbound messages stored, and those and the contacts from refused bodies. */
export function countStored(dataDir: string) {
  const db = openStore(dataDir);
  const count = (sql: string, ...params: string[]) => {
    const row = db.prepare(sql).get(...params);
    return typeof row === "object" && row !== null && "n" in row ? Number(row.n) : -1;
  };
  try {
    return {
      messages: count("select count(*) as n from inbound_messages"),
      rejectedMessages: count(
        "select count(*) as n from inbound_messages where external_message_id like ? or payload_json like ?",
        `%${REJECTED_MARK}%`,
        `%${REJECTED_MARK}%`,
      ),
      rejectedContacts: count(
        "select count(*) as n from contacts where external_id like ?",
        `${REJECTED_NUMBER_PREFIX}%`,
      ),
    };
  } finally {
    db.close();
  }
}

function signed(text: string, secret: string = WA.appSecret): Record<string, string> {
  return { "x-hub-signature-256": signBody(text, secret) };
}

function markRejected(text: string): string {
  return text.replaceAll("wamid.", `wamid.${REJECTED_MARK}.`).replaceAll("1555000", REJECTED_NUMBER_PREFIX);
}

/** What a correctly signed body must get: 413 over the limit, 400 if it is not JSON, else 200. */
function expectedFor(text: string): number {
  if (Buffer.byteLength(text) > BODY_LIMIT) return 413;
  try {
    JSON.parse(text);
  } catch {
    return 400;
  }
  return /"(__proto__|constructor)"\s*:/.test(text) ? 400 : 200;
}
