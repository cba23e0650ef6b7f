/**
 * Hot queries compiled once per dialect, then run again with new values. Kysely builds and compiles
 * every query from scratch; on the runtime's hot path that costs more than SQLite takes to execute
 * the statement, so the dozen statements run for every turn are compiled once and reused.
 */
import type { Compilable, CompiledQuery, DialectAdapter, QueryResult } from "kysely";
import type { StoreDb } from "./transaction.ts";

/** The part of a better-sqlite3 connection the hot path uses. */
export interface SqliteConnection {
  prepare(sql: string): {
    readonly reader: boolean;
    all(parameters: readonly unknown[]): unknown[];
    run(parameters: readonly unknown[]): { changes: number; lastInsertRowid: number | bigint };
  };
}

/** SQLite connections, by the dialect adapter of the Kysely instance that owns them. */
const sqliteConnections = new WeakMap<DialectAdapter, SqliteConnection>();

/** Lets hot queries inside a transaction on `db` run on its SQLite connection directly. */
export function registerSqliteConnection(db: StoreDb, connection: SqliteConnection): void {
  sqliteConnections.set(db.getExecutor().adapter, connection);
}

/**
 * The SQLite connection a transaction holds, or undefined (PostgreSQL, or not in a transaction).
 * SQLite has one connection and an open transaction holds Kysely's lock on it, so statements the
 * transaction's own work issues can run on it synchronously, skipping Kysely's per-query machinery.
 */
export function sqliteConnectionOf(db: StoreDb): SqliteConnection | undefined {
  return db.isTransaction ? sqliteConnections.get(db.getExecutor().adapter) : undefined;
}

/** Values the builder sees in place of the real ones; each must reach the SQL as a bound parameter. */
const PLACEHOLDER = "\u0000parley-placeholder:";

interface Prepared {
  compiled: CompiledQuery;
  /** For each bound parameter: the argument index it takes, or -1 for a constant of the query. */
  slots: number[];
  /** True when the parameters are exactly the arguments, in order: they are passed as they are. */
  direct: boolean;
  /** The SQLite statement, once prepared on the connection (it lives as long as the connection). */
  statement?: ReturnType<SqliteConnection["prepare"]>;
}

/** What one prepared query keeps per Kysely dialect adapter (that is, per database). */
interface PerAdapter {
  byCount: Map<number, Prepared>;
  /** The SQLite connection, if the database is SQLite. */
  connection: SqliteConnection | undefined;
}

/**
 * Wraps `build` so it is compiled once per dialect (and per `shape`, e.g. a row count) and then only
 * re-bound. `build` receives placeholders instead of values: it must pass every argument to Kysely as
 * a value (where, set, values, limit), never inspect it.
 *
 * @example
 * const findById = prepareQuery((db, id: string) => db.selectFrom("contacts").selectAll().where("id", "=", id));
 * const { rows } = await findById(db, "c1");
 */
export function prepareQuery<A extends unknown[], O>(
  build: (db: StoreDb, ...args: A) => Compilable<O>,
): (db: StoreDb, ...args: A) => Promise<QueryResult<O>> {
  const byAdapter = new WeakMap<DialectAdapter, PerAdapter>();
  return (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let perAdapter = byAdapter.get(adapter);
    if (!perAdapter) {
      perAdapter = { byCount: new Map(), connection: sqliteConnections.get(adapter) };
      byAdapter.set(adapter, perAdapter);
    }
    let entry = perAdapter.byCount.get(args.length);
    if (!entry) {
      entry = compileWithPlaceholders(db, build, args.length);
      perAdapter.byCount.set(args.length, entry);
    }
    const { compiled, slots } = entry;
    const parameters = entry.direct
      ? args
      : slots.map((slot, index) => (slot < 0 ? compiled.parameters[index] : args[slot]));
    const { connection } = perAdapter;
    if (connection && db.isTransaction) {
      entry.statement ??= connection.prepare(compiled.sql);
      return runOnSqlite<O>(entry.statement, parameters);
    }
    return db.executeQuery<O>({ ...compiled, parameters });
  };
}

/** What Kysely's SQLite driver does for one query, without its queueing. */
function runOnSqlite<O>(
  statement: ReturnType<SqliteConnection["prepare"]>,
  parameters: readonly unknown[],
): Promise<QueryResult<O>> {
  try {
    // Rows come back as the compiled query's selection, as Kysely itself would type them.
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as O[] });
    const { changes } = statement.run(parameters);
    return Promise.resolve({ rows: [], numAffectedRows: BigInt(changes) });
  } catch (error) {
    return Promise.reject(error);
  }
}

function compileWithPlaceholders<A extends unknown[], O>(
  db: StoreDb,
  build: (db: StoreDb, ...args: A) => Compilable<O>,
  count: number,
): Prepared {
  const placeholders = Array.from({ length: count }, (_, index) => `${PLACEHOLDER}${index}`);
  // The builder only forwards these into value positions, so their declared types never matter.
  const compiled = build(db, ...(placeholders as unknown as A)).compile();
  const slots = compiled.parameters.map((value) =>
    typeof value === "string" && value.startsWith(PLACEHOLDER) ? Number(value.slice(PLACEHOLDER.length)) : -1,
  );
  for (let index = 0; index < count; index++) {
    if (!slots.includes(index)) throw new Error(`prepareQuery: argument ${index} is not a bound parameter`);
  }
  if (compiled.sql.includes(PLACEHOLDER))
    throw new Error("prepareQuery: a placeholder was inlined in the SQL");
  const direct = slots.length === count && slots.every((slot, index) => slot === index);
  return { compiled, slots, direct };
}

/**
 * prepareQuery for multi-row statements: each row is a tuple of values, and the statement is compiled
 * once per row count.
 */
export function prepareRows<R extends unknown[], O>(
  build: (db: StoreDb, rows: R[]) => Compilable<O>,
): (db: StoreDb, rows: R[]) => Promise<QueryResult<O>> {
  const byWidth = new Map<number, (db: StoreDb, ...values: unknown[]) => Promise<QueryResult<O>>>();
  return (db, rows) => {
    const width = rows[0]?.length ?? 0;
    let prepared = byWidth.get(width);
    if (!prepared) {
      // Placeholders arrive flat; regroup them into rows of `width` for the builder.
      prepared = prepareQuery((inner, ...values: unknown[]) => build(inner, toRows<R>(values, width)));
      byWidth.set(width, prepared);
    }
    return prepared(db, ...rows.flat());
  };
}

function toRows<R extends unknown[]>(values: unknown[], width: number): R[] {
  const rows: R[] = [];
  // Only placeholders pass through here (see prepareQuery), so the tuple type is nominal.
  for (let start = 0; start < values.length; start += width)
    rows.push(values.slice(start, start + width) as R);
  return rows;
}
