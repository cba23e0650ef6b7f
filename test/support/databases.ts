/**
 * The databases the contract suites run on: SQLite always, PostgreSQL when reachable (required in CI).
 * Each open() gets a fresh database — a temp dir, or its own PostgreSQL schema dropped on cleanup.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "../../src/store/database.ts";

export interface TestDatabase {
  name: "sqlite" | "postgres";
  open(): Promise<Database & { cleanup(): Promise<void> }>;
}

export const POSTGRES_TEST_URL =
  process.env.PARLEY_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The dialects to run; throws in CI when PostgreSQL is unreachable, so the suite never skips it there. */
export async function testDatabases(): Promise<TestDatabase[]> {
  const databases: TestDatabase[] = [{ name: "sqlite", open: openSqlite }];
  const problem = await checkPostgres(POSTGRES_TEST_URL);
  if (problem === null) databases.push({ name: "postgres", open: openPostgres });
  else if (process.env.CI)
    throw new Error(`PostgreSQL is required in CI but unreachable at ${POSTGRES_TEST_URL}: ${problem}`);
  return databases;
}

async function openSqlite(): Promise<Database & { cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "parley-store-"));
  const database = await openDatabase({ dataDir });
  return {
    ...database,
    async cleanup() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<Database & { cleanup(): Promise<void> }> {
  const schema = `parley_test_${randomBytes(6).toString("hex")}`;
  const database = await openDatabase({ url: POSTGRES_TEST_URL, dataDir: tmpdir(), schema, poolSize: 8 });
  return {
    ...database,
    async cleanup() {
      await database.close();
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

async function checkPostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
