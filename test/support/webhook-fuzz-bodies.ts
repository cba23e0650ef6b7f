/**
 * Seeded generators of hostile webhook bodies: WhatsApp- and Telegram-shaped JSON where any field may
 * be missing, of the wrong type, a number written as a string, exotic unicode, a huge array or deeply
 * nested. Reproducible: the same seed gives the same bodies.
 */

export interface Fuzzer {
  int(max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `valid()` most of the time, else a wrong type, a missing field (undefined) or a big value. */
  field(valid: () => unknown): unknown;
  junk(depth?: number): unknown;
  text(): string;
}

const UNICODE = ["héllo", "😀👍🏽", "\u200b\u200f", "עברית", "\ud800", "\u0000nul", "𝕏", "a\nb\tc", "\\\"'"];
const WA_TYPES = ["text", "interactive", "button", "image", "document", "audio", "location", "contacts"];
const WA_EXTRA_TYPES = ["reaction", "order", "system", "unsupported", "sticker", "video", "nonsense"];
const STATUSES = ["sent", "delivered", "read", "failed", "played", "deleted", ""];

/** A mulberry32-backed fuzzer. */
export function createFuzzer(seed: number): Fuzzer {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const fuzzer: Fuzzer = {
    int: (max) => Math.floor(next() * max),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    text: () =>
      fuzzer.pick([
        () => fuzzer.pick(UNICODE),
        () => String(fuzzer.int(1e9)),
        () => "x".repeat(fuzzer.int(3000)),
        () => "",
        () => `wamid.${fuzzer.int(1e12).toString(36)}`,
      ])(),
    field(valid) {
      const roll = next();
      if (roll < 0.78) return valid();
      if (roll < 0.86) return undefined;
      if (roll < 0.9) {
        const value = valid();
        return typeof value === "number" ? String(value) : typeof value === "string" ? Number(value) : value;
      }
      return fuzzer.junk();
    },
    junk(depth = 0): unknown {
      const kind = fuzzer.int(depth > 3 ? 7 : 10);
      switch (kind) {
        case 0:
          return null;
        case 1:
          return fuzzer.chance(0.5);
        case 2:
          return fuzzer.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]);
        case 3:
        case 4:
          return fuzzer.text();
        case 5:
          return fuzzer.pick(["1767261600", "NaN", "Infinity", "-5", "1e400", "0x10", " 12 "]);
        case 6:
          return {};
        case 7:
          return Array.from({ length: fuzzer.int(5) }, () => fuzzer.junk(depth + 1));
        case 8:
          return Object.fromEntries(
            Array.from({ length: fuzzer.int(4) }, () => [fuzzer.text().slice(0, 20), fuzzer.junk(depth + 1)]),
          );
        default:
          return fuzzer.chance(0.5) ? nest(fuzzer.int(1000)) : Array(fuzzer.int(5000)).fill(fuzzer.int(9));
      }
    },
  };
  return fuzzer;
}

/** `depth` levels of arrays and objects around a string. */
export function nest(depth: number): unknown {
  let value: unknown = "core";
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { deeper: value };
  return value;
}

/** A WhatsApp webhook body whose phone_number_id is usually `number`. */
export function fuzzWhatsAppBody(f: Fuzzer, number: string): unknown {
  const many = <T>(make: () => T, max: number): T[] =>
    Array.from({ length: f.chance(0.1) ? 0 : 1 + f.int(max) }, make);
  const contact = () => ({
    profile: f.field(() => ({ name: f.field(f.text) })),
    wa_id: f.field(() => `1555000${f.int(99)}`),
  });
  const message = () => {
    const type = f.chance(0.8) ? f.pick(WA_TYPES) : f.pick(WA_EXTRA_TYPES);
    return {
      from: f.field(() => `1555000${f.int(99)}`),
      id: f.field(() => `wamid.${f.int(1e9)}`),
      timestamp: f.field(() => String(1767261600 + f.int(1000))),
      type: f.field(() => type),
      [type]: f.field(() => messageContent(f, type)),
      context: f.chance(0.1) ? f.field(() => ({ id: f.field(f.text) })) : undefined,
    };
  };
  const status = () => ({
    id: f.field(() => `wamid.${f.int(1e9)}`),
    status: f.field(() => f.pick(STATUSES)),
    timestamp: f.field(() => String(1767261600 + f.int(1000))),
    recipient_id: f.field(() => `1555000${f.int(99)}`),
    errors: f.chance(0.2)
      ? f.field(() => [{ code: f.field(() => 131047), title: f.field(f.text) }])
      : undefined,
  });
  const value = () => ({
    messaging_product: "whatsapp",
    metadata: f.field(() => ({
      display_phone_number: f.field(() => "15550001111"),
      phone_number_id: f.field(() =>
        f.chance(0.9) ? number : f.pick(["106000000000002", "999", Number(number)]),
      ),
    })),
    contacts: f.field(() => many(contact, 3)),
    messages: f.field(() => many(message, 4)),
    statuses: f.field(() => many(status, 3)),
    errors: f.chance(0.1) ? f.field(() => [{ code: 130429, title: "Rate limit hit" }]) : undefined,
  });
  const change = () => ({
    field: f.field(() => (f.chance(0.9) ? "messages" : "account_update")),
    value: f.field(value),
  });
  const entry = () => ({ id: f.field(() => "102000000000001"), changes: f.field(() => many(change, 3)) });
  const body = { object: f.field(() => "whatsapp_business_account"), entry: f.field(() => many(entry, 3)) };
  // Now and then a batch of thousands of plain messages, as Meta may batch up to 1000 updates and more.
  if (f.chance(0.01)) {
    const messages = Array.from({ length: 500 + f.int(2500) }, (_, index) => ({
      from: `1555000${index % 50}`,
      id: `wamid.bulk${f.int(1e9)}.${index}`,
      timestamp: "1767261600",
      type: "text",
      text: { body: `bulk ${index}` },
    }));
    const metadata = { phone_number_id: number };
    return { entry: [{ changes: [{ field: "messages", value: { metadata, messages } }] }] };
  }
  return body;
}

function messageContent(f: Fuzzer, type: string): unknown {
  switch (type) {
    case "text":
      return { body: f.field(f.text) };
    case "interactive": {
      const sub = f.pick(["button_reply", "list_reply", "nfm_reply"]);
      return {
        type: f.field(() => sub),
        [sub]: f.field(() => ({ id: f.field(f.text), title: f.field(f.text) })),
      };
    }
    case "button":
      return { payload: f.field(f.text), text: f.field(f.text) };
    case "location":
      return { latitude: f.field(() => 52.5), longitude: f.field(() => 13.4), name: f.field(f.text) };
    case "contacts":
      return [
        {
          name: f.field(() => ({ formatted_name: f.field(f.text) })),
          phones: f.field(() => [{ phone: "1" }]),
        },
      ];
    case "reaction":
      return { message_id: f.field(f.text), emoji: f.field(() => "👍") };
    default:
      return {
        id: f.field(f.text),
        mime_type: f.field(() => "image/jpeg"),
        caption: f.field(f.text),
        body: f.field(f.text),
      };
  }
}

/** A Telegram Update with a message, a callback query or something else. */
export function fuzzTelegramBody(f: Fuzzer): unknown {
  const user = () => ({
    id: f.field(() => 100000001 + f.int(50)),
    is_bot: false,
    first_name: f.field(f.text),
    username: f.field(f.text),
  });
  const chat = () => ({
    id: f.field(() => 100000001 + f.int(50)),
    type: f.field(() => "private"),
    first_name: f.field(f.text),
  });
  const message = () => ({
    message_id: f.field(() => f.int(1e6)),
    from: f.field(user),
    chat: f.field(chat),
    date: f.field(() => 1767261600 + f.int(1000)),
    text: f.chance(0.7) ? f.field(f.text) : undefined,
    caption: f.chance(0.2) ? f.field(f.text) : undefined,
    photo: f.chance(0.1) ? f.field(() => [{ file_id: f.field(f.text) }]) : undefined,
    document: f.chance(0.1)
      ? f.field(() => ({ file_id: f.field(f.text), file_name: f.field(f.text) }))
      : undefined,
    location: f.chance(0.05) ? f.field(() => ({ latitude: 1, longitude: 2 })) : undefined,
    reply_to_message: f.chance(0.1) ? f.field(() => ({ message_id: f.field(() => 3) })) : undefined,
  });
  const keyboard = () => ({
    inline_keyboard: f.field(() => [[{ text: f.field(f.text), callback_data: f.field(f.text) }]]),
  });
  const callback = () => ({
    id: f.field(() => String(f.int(1e12))),
    from: f.field(user),
    message: f.field(() => ({
      message_id: f.field(() => 53),
      chat: f.field(chat),
      reply_markup: f.field(keyboard),
    })),
    chat_instance: "-1",
    data: f.field(f.text),
  });
  const kind = f.pick(["message", "message", "callback_query", "edited_message", "poll", "my_chat_member"]);
  return {
    update_id: f.field(() => 900000000 + f.int(1e6)),
    [kind]: f.field(kind === "callback_query" ? callback : message),
  };
}
