import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "./cli-support.ts";
import { runCli } from "./main.ts";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

function capture(env: Record<string, string> = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "parley-cli-"));
  dirs.push(dir);
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    env: { PARLEY_DATA_DIR: dir, PARLEY_SECRET_KEY: "44".repeat(32), ...env },
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    stdout,
    stderr,
  };
}

describe("parley CLI", () => {
  it("prints the usage for help and exits 2 with it for an unknown command", async () => {
    const help = capture();
    expect(await runCli(["help"], help)).toBe(0);
    expect(help.stdout.join("\n")).toMatch(/Usage: parley <command>/);
    const unknown = capture();
    expect(await runCli(["frobnicate"], unknown)).toBe(2);
    expect(unknown.stderr.join("\n")).toMatch(/unknown command: frobnicate[\s\S]*Usage:/);
  });

  it("migrates, reporting each migration, then reports the database up to date", async () => {
    const io = capture();
    expect(await runCli(["migrate"], io)).toBe(0);
    expect(io.stdout.filter((line) => / applied$/.test(line)).length).toBeGreaterThan(0);
    const again = { ...io, stdout: [] as string[], out: (line: string) => again.stdout.push(line) };
    expect(await runCli(["migrate"], again)).toBe(0);
    expect(again.stdout.at(-1)).toBe("The database is up to date.");
  });

  it("lists every configuration problem and exits 1", async () => {
    const io = capture({ PORT: "eighty", LOG_LEVEL: "loud" });
    expect(await runCli(["migrate"], io)).toBe(1);
    const text = io.stderr.join("\n");
    expect(text).toMatch(/2 configuration problem/);
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/LOG_LEVEL/);
  });

  it("creates users: the first founds the organization, later ones join it with their role", async () => {
    const io = capture();
    const create = (email: string, role: string) =>
      runCli(["user", "create", "--email", email, "--password", "a long password", "--role", role], io);
    expect(await create("owner@example.com", "admin")).toBe(0);
    expect(io.stdout.at(-1)).toMatch(/as its owner/);
    expect(await create("editor@example.com", "editor")).toBe(0);
    expect(io.stdout.at(-1)).toMatch(/Created editor@example.com as editor of organization/);
    expect(await create("editor@example.com", "editor")).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/already exists/);
  });

  it("refuses a user command line that cannot work, saying every reason", async () => {
    const io = capture();
    const args = ["user", "create", "--email", "nope", "--password", "short", "--role", "boss"];
    expect(await runCli(args, io)).toBe(2);
    const text = io.stderr.join("\n");
    expect(text).toMatch(/--email/);
    expect(text).toMatch(/--password/);
    expect(text).toMatch(/--role must be one of viewer, editor, admin, owner/);
  });

  it("rejects an unknown role for start before doing anything", async () => {
    const io = capture();
    expect(await runCli(["start", "--role", "janitor"], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/--role must be one of all, web, worker/);
  });

  it("refuses --role web or worker without the shared PostgreSQL and Redis they need", async () => {
    for (const role of ["web", "worker"]) {
      const io = capture();
      expect(await runCli(["start", "--role", role], io)).toBe(1);
      expect(io.stderr.join("\n")).toMatch(/needs DATABASE_URL \(PostgreSQL\) and REDIS_URL/);
    }
  });

  it("needs --channel for telegram set-webhook and names an unknown channel", async () => {
    const missing = capture();
    expect(await runCli(["telegram", "set-webhook"], missing)).toBe(2);
    const unknown = capture();
    expect(await runCli(["telegram", "set-webhook", "--channel", "nope"], unknown)).toBe(1);
    expect(unknown.stderr[0]).toMatch(/No Telegram channel has the id nope/);
  });
});
