import { describe, expect, it } from "vitest";
import { compileUserRegex, testUserRegex } from "./regex.ts";

describe("compileUserRegex", () => {
  it.each([
    { pattern: "^\\d+$", flags: undefined, valid: true },
    { pattern: "[a-z]+", flags: "i", valid: true },
    { pattern: "([a-z]", flags: undefined, valid: false },
    { pattern: "a{2,1}", flags: undefined, valid: false },
    { pattern: "abc", flags: "g", valid: false },
    { pattern: "abc", flags: "y", valid: false },
    { pattern: "abc", flags: "x", valid: false },
    { pattern: "a".repeat(1001), flags: undefined, valid: false },
  ])("compiles $pattern with flags $flags → valid $valid", ({ pattern, flags, valid }) => {
    expect(compileUserRegex(pattern, flags) !== undefined).toBe(valid);
  });

  it("returns the cached instance for the same pattern and flags", () => {
    expect(compileUserRegex("^cache-me$", "i")).toBe(compileUserRegex("^cache-me$", "i"));
    expect(compileUserRegex("^cache-me$")).not.toBe(compileUserRegex("^cache-me$", "i"));
  });

  it("stays usable after more than 500 distinct patterns", () => {
    for (let index = 0; index < 600; index += 1) compileUserRegex(`^p${index}$`);
    expect(compileUserRegex("^p0$")?.test("p0")).toBe(true);
    expect(compileUserRegex("^p599$")?.test("p599")).toBe(true);
  });
});

describe("testUserRegex", () => {
  it.each([
    { pattern: "^\\d{3}$", text: "123", flags: undefined, expected: true },
    { pattern: "^\\d{3}$", text: "1234", flags: undefined, expected: false },
    { pattern: "^abc$", text: "ABC", flags: "i", expected: true },
    { pattern: "^abc$", text: "ABC", flags: undefined, expected: false },
    { pattern: "(", text: "(", flags: undefined, expected: false },
    { pattern: "x$", text: `${"a".repeat(5000)}x`, flags: undefined, expected: false },
    { pattern: "^a+$", text: "a".repeat(5000), flags: undefined, expected: true },
  ])("$pattern on a text of $text.length chars → $expected", ({ pattern, text, flags, expected }) => {
    expect(testUserRegex(pattern, text, flags)).toBe(expected);
  });
});
