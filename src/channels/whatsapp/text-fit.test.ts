import { describe, expect, it } from "vitest";
import { cutText, cutUniqueTitles, splitText } from "./text-fit.ts";

describe("splitText", () => {
  it.each([
    ["fits", "Hello there.", 20, ["Hello there."]],
    ["paragraph first", "One two.\n\nThree four five.", 20, ["One two.", "Three four five."]],
    ["sentence over word", "Aaaa bbbb. Cccc dddd eeee", 20, ["Aaaa bbbb.", "Cccc dddd eeee"]],
    ["word when no sentence", "aaaa bbbb cccc dddd eeee", 12, ["aaaa bbbb", "cccc dddd", "eeee"]],
    ["hard cut", "abcdefghij", 4, ["abcd", "efgh", "ij"]],
    [
      "early paragraph ignored",
      "Hi.\n\nThis sentence is long enough. Next one.",
      40,
      ["Hi.\n\nThis sentence is long enough.", "Next one."],
    ],
    ["trims", "  spaced  ", 20, ["spaced"]],
    ["empty", "", 10, []],
  ])("%s", (_name, text, limit, expected) => {
    const chunks = splitText(text, limit);
    expect(chunks).toEqual(expected);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(limit);
  });
});

describe("cutText", () => {
  it.each([
    ["Short", 10, "Short"],
    ["Exactly ten", 11, "Exactly ten"],
    ["Too long a title", 8, "Too lon…"],
    ["Word end  here", 11, "Word end…"],
    ["ab👍cd", 4, "ab…"],
  ])("%s / %i", (text, limit, expected) => {
    expect(cutText(text, limit)).toBe(expected);
  });
});

describe("cutUniqueTitles", () => {
  it.each([
    [["Yes", "No"], 20, ["Yes", "No"]],
    [["Same", "Same", "Same"], 20, ["Same", "Same 2", "Same 3"]],
    [["Long title one", "Long title two"], 8, ["Long ti…", "Long… 2"]],
  ])("%j", (titles, limit, expected) => {
    const result = cutUniqueTitles(titles, limit);
    expect(result).toEqual(expected);
    expect(new Set(result).size).toBe(result.length);
  });
});
