import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../../test/support/runtime-harness.ts";
import { startCheckpointer } from "./sqlite-checkpointer.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("background checkpointer", () => {
  it("copies the log of a writer that never checkpoints into the database file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-checkpoint-"));
    dirs.push(dir);
    const file = join(dir, "test.db");
    const writer = new SqliteDatabase(file);
    writer.pragma("journal_mode = WAL");
    writer.pragma("wal_autocheckpoint = 0"); // only the worker may move pages into the file
    writer.exec("create table t (id integer primary key, body text not null)");
    const sizeBefore = statSync(file).size;
    const insert = writer.prepare("insert into t (body) values (?)");
    writer.transaction(() => {
      for (let index = 0; index < 5000; index++) insert.run("x".repeat(200));
    })();
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
    expect(statSync(file).size).toBe(sizeBefore);

    const checkpointer = startCheckpointer(file, { intervalMs: 20 });
    await eventually(() => statSync(file).size > 1_000_000, 10_000, "the database file to receive the log");
    await checkpointer.stop();
    expect(writer.prepare("select count(*) as n from t").get()).toEqual({ n: 5000 });
    writer.close();
  });

  it("stops cleanly when it never had work", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-checkpoint-"));
    dirs.push(dir);
    const file = join(dir, "empty.db");
    new SqliteDatabase(file).pragma("journal_mode = WAL");
    await expect(startCheckpointer(file).stop()).resolves.toBeUndefined();
  });
});
