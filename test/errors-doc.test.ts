/**
 * Keeps docs/errors.md in step with the catalogue (src/core/errors.ts) and the status table
 * (src/server/error-status.ts): every code documented once, with its status, and no unknown codes.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CATALOGUE } from "../src/core/errors.ts";
import { ERROR_STATUS } from "../src/server/error-status.ts";

const DOC_PATH = resolve(import.meta.dirname, "../docs/errors.md");
const ROW = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|\s*(.*?)\s*\|\s*$/;

function readDocumentedCodes(): { code: string; status: number; meaning: string }[] {
  return readFileSync(DOC_PATH, "utf8")
    .split("\n")
    .map((line) => ROW.exec(line))
    .filter((match) => match !== null)
    .map(([, code = "", status = "", meaning = ""]) => ({ code, status: Number(status), meaning }));
}

describe("docs/errors.md", () => {
  const rows = readDocumentedCodes();
  const documented = rows.map((row) => row.code);
  const catalogue = Object.keys(ERROR_CATALOGUE);
  const statusByCode = new Map<string, number>(Object.entries(ERROR_STATUS));

  it("documents every code of the catalogue", () => {
    const missing = catalogue.filter((code) => !documented.includes(code));
    expect(missing, `codes missing from docs/errors.md: ${missing.join(", ")}`).toEqual([]);
  });

  it("lists no code the catalogue does not know", () => {
    const unknown = documented.filter((code) => !catalogue.includes(code));
    expect(unknown, `unknown codes in docs/errors.md: ${unknown.join(", ")}`).toEqual([]);
  });

  it("lists each code once, with the status of src/server/error-status.ts and a meaning", () => {
    expect(new Set(documented).size).toBe(documented.length);
    for (const row of rows) {
      expect(row.status, `status of ${row.code}`).toBe(statusByCode.get(row.code));
      expect(row.meaning, `meaning of ${row.code}`).not.toBe("");
    }
  });
});
