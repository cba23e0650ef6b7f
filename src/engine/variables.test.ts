import { describe, expect, it } from "vitest";
import { findVariableReferences, interpolate } from "./interpolate.ts";
import { readJsonPath } from "./json-path.ts";
import { createVariableLookup, setVariable } from "./variables.ts";

const lookup = createVariableLookup({
  variables: {
    name: "Ana",
    order: { id: 7, items: [{ sku: "A" }] },
    "dotted.key": "flat",
    count: 0,
    ok: false,
  },
  contact: {
    id: "c1",
    name: "Ana Gil",
    phone: "+34600",
    attributes: { city: "Madrid", plan: { tier: "gold" } },
  },
  flowInfo: { id: "f1", name: "Sales" },
  trigger: { kind: "keyword", text: "hola", variables: { campaign: "spring" } },
});

describe("interpolate", () => {
  it.each([
    ["Hi {{name}}", "Hi Ana"],
    ["Hi {{ name }}!", "Hi Ana!"],
    ["{{contact.name}} / {{ contact.city }} / {{contact.plan.tier}}", "Ana Gil / Madrid / gold"],
    ["Order {{order.id}}: {{order.items}}", 'Order 7: [{"sku":"A"}]'],
    ["{{flow.name}} via {{trigger.text}} ({{trigger.campaign}})", "Sales via hola (spring)"],
    ["{{dotted.key}}", "flat"],
    ["{{count}} {{ok}}", "0 false"],
    ["{{missing}} and {{contact.missing}} stay", "{{missing}} and {{contact.missing}} stay"],
    [
      "{{__proto__}} {{constructor}} {{name.length}} {{toString}}",
      "{{__proto__}} {{constructor}} {{name.length}} {{toString}}",
    ],
    ["no placeholders", "no placeholders"],
    ["{{}} {{ }} {name}", "{{}} {{ }} {name}"],
  ])("%j → %j", (template, expected) => {
    expect(interpolate(template, lookup)).toBe(expected);
  });

  it("lists the variables a text uses", () => {
    expect(findVariableReferences("{{a}} x {{ b.c }} {{a}}")).toEqual(["a", "b.c", "a"]);
  });
});

describe("setVariable", () => {
  it("sets nested paths copy-on-write and refuses prototype keys", () => {
    const before = { answers: { a: 1 } };
    const after = setVariable(before, "answers.b", 2);
    expect(after).toEqual({ answers: { a: 1, b: 2 } });
    expect(before).toEqual({ answers: { a: 1 } });
    expect(setVariable(before, "__proto__.polluted", 1)).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("readJsonPath", () => {
  const body = { data: { id: "x", "odd key": 1, items: [{ n: 1 }, { n: 2 }] } };
  it.each([
    ["$.data.id", "x"],
    ["data.id", "x"],
    ["$.data.items[1].n", 2],
    ["$.data.items[-1].n", 2],
    ["$['data']['odd key']", 1],
    ["$.data.items.length", 2],
    ["$", body],
    ["$.data.missing", undefined],
    ["$.data.constructor", undefined],
    ["$..bad", undefined],
  ])("%s", (path, expected) => {
    expect(readJsonPath(body, path)).toEqual(expected);
  });
});
