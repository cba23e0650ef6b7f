/**
 * A PostgreSQL schema of its own for a multi-process test: migrated, with one organization, set up
 * by the caller; the parent keeps a connection to check the outcome and drops the schema at the end.
 */
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import pg from "pg";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import { createOrganization } from "../../src/store/repositories/organizations.ts";
import { POSTGRES_TEST_URL } from "./databases.ts";

export interface TestSchema {
  name: string;
  database: Database;
  drop(): Promise<void>;
}

export async function openSchema(
  setUp: (database: Database, organizationId: string) => Promise<void>,
): Promise<TestSchema> {
  const name = `parley_scale_${randomBytes(6).toString("hex")}`;
  const database = await openDatabase({
    url: POSTGRES_TEST_URL,
    dataDir: tmpdir(),
    schema: name,
    poolSize: 4,
  });
  await migrateToLatest(database.db);
  const organization = await createOrganization(database.db, { name: "Scale", at: Date.now() });
  await setUp(database, organization.id);
  return {
    name,
    database,
    async drop() {
      await database.close();
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${name}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
