import { describe, expect, it } from "vitest";
import { splitText } from "./split-text.ts";

describe("splitText", () => {
  it.each([
    { name: "fits", text: "Hello", limit: 10, parts: ["Hello"] },
    { name: "empty", text: "", limit: 10, parts: [] as string[] },
    {
      name: "paragraph",
      text: "First para.\n\nSecond para.",
      limit: 20,
      parts: ["First para.", "Second para."],
    },
    {
      name: "sentence",
      text: "One two. Three four five.",
      limit: 16,
      parts: ["One two.", "Three four five."],
    },
    { name: "word", text: "alpha beta gamma delta", limit: 12, parts: ["alpha beta", "gamma delta"] },
    { name: "hard cut", text: "abcdefghijkl", limit: 5, parts: ["abcde", "fghij", "kl"] },
    { name: "emoji kept whole", text: "abcd😀efgh", limit: 5, parts: ["abcd", "😀efg", "h"] },
  ])("$name", ({ text, limit, parts }) => {
    expect(splitText(text, limit)).toEqual(parts);
  });

  it("splits 10 000 characters of prose into parts within 4096 that keep every word", () => {
    const text = Array.from({ length: 1000 }, (_, i) => `Sentence ${i} ends here.`).join(" ");
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part.endsWith(".")).toBe(true);
    }
    expect(parts.join(" ")).toBe(text);
  });
});
