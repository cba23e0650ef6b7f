import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "./database.ts";
import { migrateToLatest } from "./migrate.ts";
import { prepareQuery, prepareRows } from "./prepared-query.ts";

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ url: ":memory:", dataDir: "" });
  await migrateToLatest(database.db);
  await database.db.insertInto("organizations").values({ id: "o1", name: "Org", created_at: 1 }).execute();
});
afterAll(() => database.close());

const insertOrganizations = prepareRows((db, rows: [string, string, number][]) =>
  db
    .insertInto("organizations")
    .values(rows.map(([id, name, at]) => ({ id, name, created_at: at })))
    .returning("id"),
);

const findByName = prepareQuery((db, name: string, limit: number) =>
  db.selectFrom("organizations").select(["id", "name"]).where("name", "=", name).orderBy("id").limit(limit),
);

describe("prepareQuery", () => {
  it("binds new values on every call, including inside a transaction", async () => {
    await insertOrganizations(database.db, [["o2", "Acme", 2]]);
    await insertOrganizations(database.db, [
      ["o3", "Acme", 3],
      ["o4", "Other", 4],
    ]);
    expect((await findByName(database.db, "Acme", 10)).rows).toEqual([
      { id: "o2", name: "Acme" },
      { id: "o3", name: "Acme" },
    ]);
    expect((await findByName(database.db, "Acme", 1)).rows).toEqual([{ id: "o2", name: "Acme" }]);
    const inside = await database.db.transaction().execute((trx) => findByName(trx, "Other", 5));
    expect(inside.rows).toEqual([{ id: "o4", name: "Other" }]);
  });

  it("refuses a builder that does not pass an argument as a bound value", () => {
    const inlined = prepareQuery((db, name: string) =>
      db.selectFrom("organizations").selectAll().where(sql.lit(name), "=", "x"),
    );
    expect(() => inlined(database.db, "Acme")).toThrow(/not a bound parameter/);
  });
});
