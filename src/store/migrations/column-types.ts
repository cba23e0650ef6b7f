/**
 * The only column types that differ between SQLite and PostgreSQL; every migration takes them from here
 * so one set of migrations runs on both.
 */
import type { CreateTableBuilder, Kysely } from "kysely";
import { sql } from "kysely";
import { dialectOf } from "../dialect.ts";

/** Adds `id` as an autoincrement primary key: arrival/send order for inbox, outbox and logs. */
export function addSequenceId<T extends string>(
  table: CreateTableBuilder<T, never>,
  db: Kysely<unknown>,
): CreateTableBuilder<T, "id"> {
  if (dialectOf(db) === "postgres") return table.addColumn("id", "bigserial", (col) => col.primaryKey());
  return table.addColumn("id", "integer", (col) => col.primaryKey().autoIncrement());
}

/** Adds a not-null flag column with a default: integer 0/1 on SQLite, boolean on PostgreSQL. */
export function addFlag<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  db: Kysely<unknown>,
  name: string,
  initial: boolean,
): CreateTableBuilder<T, C> {
  if (dialectOf(db) === "postgres") {
    return table.addColumn(name, "boolean", (col) => col.notNull().defaultTo(sql.lit(initial)));
  }
  return table.addColumn(name, "integer", (col) => col.notNull().defaultTo(initial ? 1 : 0));
}
