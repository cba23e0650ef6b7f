/**
 * The process the crash test kills: a real runtime on a SQLite file, sending through the WhatsApp
 * sender to the fake Graph API. `load` mode accepts messages and prints `ACK <id>` once each is
 * durable; `recover` mode only finishes unfinished work and prints `DONE`.
 * Usage: node --import tsx test/support/crash-child.ts <dataDir> <graphUrl> <load|recover> [contacts] [messages]
 */
import { randomUUID } from "node:crypto";
import { createWhatsAppSender } from "../../src/channels/whatsapp/index.ts";
import { createRuntime } from "../../src/runtime/runtime.ts";
import { openDatabase } from "../../src/store/database.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import { createChannel, findChannelByExternalId } from "../../src/store/repositories/channels.ts";
import { createOrganization } from "../../src/store/repositories/organizations.ts";
import { publishEchoFlow } from "./scale-out-driver.ts";

export const CRASH_PHONE_NUMBER_ID = "1000000001";

const [dataDir = "", graphUrl = "", mode = "load", contactsArg = "20", messagesArg = "10"] =
  process.argv.slice(2);
const database = await openDatabase({ dataDir });
await migrateToLatest(database.db);

let channel = await findChannelByExternalId(database.db, "whatsapp", CRASH_PHONE_NUMBER_ID);
if (!channel) {
  const organization = await createOrganization(database.db, { name: "Crash test", at: Date.now() });
  channel = await createChannel(database.db, {
    organizationId: organization.id,
    kind: "whatsapp",
    name: "Crash",
    externalId: CRASH_PHONE_NUMBER_ID,
    at: Date.now(),
  });
  await publishEchoFlow(database, organization.id);
}

const sender = createWhatsAppSender({
  graphUrl,
  apiVersion: "v23.0",
  phoneNumberId: CRASH_PHONE_NUMBER_ID,
  accessToken: "crash-token",
});
const runtime = createRuntime({
  database,
  directory: { senderFor: () => sender },
  options: {
    concurrency: 8,
    ratePerSecond: 10_000,
    timerIntervalMs: 50,
    sweepIntervalMs: 100,
    baseBackoffMs: 20,
  },
});
await runtime.start();

if (mode === "load") {
  const contacts = Number(contactsArg);
  const perContact = Number(messagesArg);
  for (let round = 0; round <= perContact; round += 1) {
    await Promise.all(
      Array.from({ length: contacts }, async (_, c) => {
        const text = round === 0 ? "go" : `c${c}-m${round}`;
        const id = `wamid.${randomUUID()}`;
        await runtime.acceptInbound(channel, [
          {
            externalMessageId: id,
            contact: { externalId: `4900000${String(c).padStart(4, "0")}` },
            timestamp: Date.now(),
            kind: "text",
            text,
          },
        ]);
        process.stdout.write(`ACK ${id} ${text}\n`);
      }),
    );
  }
  await runtime.idle();
  process.stdout.write("LOADED\n");
} else {
  for (;;) {
    await runtime.idle();
    const pending = await database.db
      .selectFrom("inbound_messages")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    const unsent = await database.db
      .selectFrom("outbound_messages")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "in", ["queued", "sending"])
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0 && Number(unsent.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await runtime.stop();
  await database.close();
  process.stdout.write("DONE\n");
}
