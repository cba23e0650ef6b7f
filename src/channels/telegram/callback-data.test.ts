import { describe, expect, it } from "vitest";
import { decodeCallbackData, encodeCallbackData } from "./callback-data.ts";

const emojiId = "🍕".repeat(16); // 64 bytes exactly
const longEmojiId = "🍕".repeat(17); // 68 bytes, 34 UTF-16 units

describe("encodeCallbackData / decodeCallbackData", () => {
  it.each([
    { id: "yes", position: 1, data: "yes", decoded: { optionId: "yes" } },
    {
      id: "f:os:confirm:yes",
      position: 2,
      data: "f:os:confirm:yes",
      decoded: { optionId: "f:os:confirm:yes" },
    },
    { id: "a".repeat(64), position: 1, data: "a".repeat(64), decoded: { optionId: "a".repeat(64) } },
    { id: "a".repeat(65), position: 4, data: "#4", decoded: { position: 4 } },
    { id: "x".repeat(100), position: 7, data: "#7", decoded: { position: 7 } },
    { id: emojiId, position: 1, data: emojiId, decoded: { optionId: emojiId } },
    { id: longEmojiId, position: 3, data: "#3", decoded: { position: 3 } },
    { id: "é".repeat(33), position: 2, data: "#2", decoded: { position: 2 } },
    { id: "#5", position: 1, data: "#1", decoded: { position: 1 } },
    { id: "", position: 9, data: "#9", decoded: { position: 9 } },
    { id: "__more__:1", position: 10, data: "__more__:1", decoded: { optionId: "__more__:1" } },
  ])("$id at $position → $data", ({ id, position, data, decoded }) => {
    const encoded = encodeCallbackData(id, position);
    expect(encoded).toBe(data);
    expect(Buffer.byteLength(encoded, "utf8")).toBeLessThanOrEqual(64);
    expect(decodeCallbackData(encoded)).toEqual(decoded);
  });
});
