import { describe, expect, it } from "vitest";
import type { InputValidation } from "../core/flow.ts";
import { validateInput } from "./input-validation.ts";

const rules = (partial: Partial<InputValidation>): InputValidation => ({ type: "text", ...partial });

describe("validateInput accepts and normalises", () => {
  it.each([
    // text (default)
    { text: "  hello  ", rules: undefined, value: "hello" },
    { text: "abc", rules: rules({ minLength: 3, maxLength: 3 }), value: "abc" },
    { text: "ñañá", rules: rules({ maxLength: 4 }), value: "ñañá" },
    { text: "AB-12", rules: rules({ pattern: "[A-Z]{2}-\\d+" }), value: "AB-12" },
    // number
    { text: "42", rules: rules({ type: "number" }), value: 42 },
    { text: " -3.5 ", rules: rules({ type: "number" }), value: -3.5 },
    { text: "3,5", rules: rules({ type: "number" }), value: 3.5 },
    { text: "1 000", rules: rules({ type: "number" }), value: 1000 },
    { text: "18", rules: rules({ type: "number", min: 18, max: 18 }), value: 18 },
    // email
    {
      text: " Ana.Perez+news@Example.COM ",
      rules: rules({ type: "email" }),
      value: "Ana.Perez+news@example.com",
    },
    { text: "a@b.co", rules: rules({ type: "email" }), value: "a@b.co" },
    { text: "x@sub-domain.example.org", rules: rules({ type: "email" }), value: "x@sub-domain.example.org" },
    // phone
    { text: "+34 600 12 34 56", rules: rules({ type: "phone" }), value: "+34600123456" },
    { text: "0034-600-123-456", rules: rules({ type: "phone" }), value: "+34600123456" },
    {
      text: "(600) 123.456",
      rules: rules({ type: "phone", defaultCountryCode: "34" }),
      value: "+34600123456",
    },
    {
      text: "07911 123456",
      rules: rules({ type: "phone", defaultCountryCode: "+44" }),
      value: "+447911123456",
    },
    { text: "4915112345678", rules: rules({ type: "phone" }), value: "+4915112345678" },
    // date
    { text: "2024-02-29", rules: rules({ type: "date" }), value: "2024-02-29" },
    { text: "31/12/2024", rules: rules({ type: "date" }), value: "2024-12-31" },
    { text: "1-2-2024", rules: rules({ type: "date" }), value: "2024-02-01" },
    { text: "05.06.1990", rules: rules({ type: "date" }), value: "1990-06-05" },
    { text: "29/02/2000", rules: rules({ type: "date" }), value: "2000-02-29" },
    // regex
    { text: "ABC123", rules: rules({ type: "regex", pattern: "[A-Z]{3}\\d{3}" }), value: "ABC123" },
    { text: "yes", rules: rules({ type: "regex", pattern: "yes|no" }), value: "yes" },
    // any
    { text: "  whatever ", rules: rules({ type: "any" }), value: "whatever" },
    { text: "", rules: rules({ type: "any", minLength: 5 }), value: "" },
  ])("$rules.type: '$text' → $value", ({ text, rules, value }) => {
    expect(validateInput(text, rules)).toEqual({ valid: true, value });
  });
});

describe("validateInput rejects", () => {
  it.each([
    // empty answers and lengths, for every string type
    { text: "   ", rules: undefined, reason: "Please type an answer." },
    { text: "", rules: rules({ type: "number" }), reason: "Please type an answer." },
    { text: "ab", rules: rules({ minLength: 3 }), reason: "Please enter at least 3 characters." },
    { text: "abcd", rules: rules({ maxLength: 3 }), reason: "Please enter no more than 3 characters." },
    {
      text: "a@b.co",
      rules: rules({ type: "email", minLength: 8 }),
      reason: "Please enter at least 8 characters.",
    },
    {
      text: "123456",
      rules: rules({ type: "number", maxLength: 3 }),
      reason: "Please enter no more than 3 characters.",
    },
    { text: "x".repeat(5000), rules: rules({ type: "text" }), reason: "Your answer is too long." },
    // text pattern
    {
      text: "ab-12",
      rules: rules({ pattern: "[A-Z]{2}-\\d+" }),
      reason: "Please enter an answer in the expected format.",
    },
    // number
    { text: "abc", rules: rules({ type: "number" }), reason: "Please enter a number." },
    { text: "12abc", rules: rules({ type: "number" }), reason: "Please enter a number." },
    { text: "1.2.3", rules: rules({ type: "number" }), reason: "Please enter a number." },
    {
      text: "17",
      rules: rules({ type: "number", min: 18 }),
      reason: "Please enter a number of at least 18.",
    },
    {
      text: "121",
      rules: rules({ type: "number", max: 120 }),
      reason: "Please enter a number no greater than 120.",
    },
    // email
    { text: "ana", rules: rules({ type: "email" }), reason: "Please enter a valid email address." },
    { text: "ana@", rules: rules({ type: "email" }), reason: "Please enter a valid email address." },
    { text: "@example.com", rules: rules({ type: "email" }), reason: "Please enter a valid email address." },
    { text: "ana@example", rules: rules({ type: "email" }), reason: "Please enter a valid email address." },
    {
      text: "ana perez@example.com",
      rules: rules({ type: "email" }),
      reason: "Please enter a valid email address.",
    },
    {
      text: "ana..p@example.com",
      rules: rules({ type: "email" }),
      reason: "Please enter a valid email address.",
    },
    {
      text: "ana@-example.com",
      rules: rules({ type: "email" }),
      reason: "Please enter a valid email address.",
    },
    { text: "a@b@c.com", rules: rules({ type: "email" }), reason: "Please enter a valid email address." },
    // phone
    { text: "1234567", rules: rules({ type: "phone" }), reason: "Please enter a valid phone number." },
    {
      text: "+1234567890123456",
      rules: rules({ type: "phone" }),
      reason: "Please enter a valid phone number.",
    },
    {
      text: "+34 600 abc 456",
      rules: rules({ type: "phone" }),
      reason: "Please enter a valid phone number.",
    },
    { text: "+0600123456", rules: rules({ type: "phone" }), reason: "Please enter a valid phone number." },
    {
      text: "060012",
      rules: rules({ type: "phone", defaultCountryCode: "34" }),
      reason: "Please enter a valid phone number.",
    },
    // date
    {
      text: "31/02/2024",
      rules: rules({ type: "date" }),
      reason: "Please enter a valid date, for example 31/12/2024.",
    },
    {
      text: "29/02/2023",
      rules: rules({ type: "date" }),
      reason: "Please enter a valid date, for example 31/12/2024.",
    },
    {
      text: "29/02/1900",
      rules: rules({ type: "date" }),
      reason: "Please enter a valid date, for example 31/12/2024.",
    },
    {
      text: "2024-13-01",
      rules: rules({ type: "date" }),
      reason: "Please enter a valid date, for example 31/12/2024.",
    },
    {
      text: "00/01/2024",
      rules: rules({ type: "date" }),
      reason: "Please enter a valid date, for example 31/12/2024.",
    },
    {
      text: "31/04/2024",
      rules: rules({ type: "date" }),
      reason: "Please enter a valid date, for example 31/12/2024.",
    },
    {
      text: "12/31-2024",
      rules: rules({ type: "date" }),
      reason: "Please enter a valid date, for example 31/12/2024.",
    },
    {
      text: "tomorrow",
      rules: rules({ type: "date" }),
      reason: "Please enter a valid date, for example 31/12/2024.",
    },
    // regex: whole-string match, and a missing or broken pattern never accepts
    {
      text: "ABC1234",
      rules: rules({ type: "regex", pattern: "[A-Z]{3}\\d{3}" }),
      reason: "Please enter an answer in the expected format.",
    },
    {
      text: "yesno",
      rules: rules({ type: "regex", pattern: "yes|no" }),
      reason: "Please enter an answer in the expected format.",
    },
    {
      text: "abc",
      rules: rules({ type: "regex" }),
      reason: "Please enter an answer in the expected format.",
    },
    {
      text: "abc",
      rules: rules({ type: "regex", pattern: "([a-z]" }),
      reason: "Please enter an answer in the expected format.",
    },
    {
      text: "b",
      rules: rules({ type: "regex", pattern: "a)|(b" }),
      reason: "Please enter an answer in the expected format.",
    },
  ])("$rules.type: '$text' → $reason", ({ text, rules, reason }) => {
    expect(validateInput(text, rules)).toEqual({ valid: false, reason });
  });
});
