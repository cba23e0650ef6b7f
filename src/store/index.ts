/**
 * The store's public surface: open and migrate the database, the records, and every repository
 * function. Layers above import from here.
 */
export {
  type Database,
  type DialectName,
  isPostgresUrl,
  type OpenDatabaseOptions,
  openDatabase,
} from "./database.ts";
export { type MigrationReport, migrateToLatest } from "./migrate.ts";
export type * from "./records.ts";
export * from "./repositories/api-clients.ts";
export * from "./repositories/bots.ts";
export * from "./repositories/channels.ts";
export * from "./repositories/contacts.ts";
export * from "./repositories/execution-logs.ts";
export * from "./repositories/executions.ts";
export * from "./repositories/flow-versions.ts";
export * from "./repositories/flows.ts";
export * from "./repositories/inbox.ts";
export * from "./repositories/leads.ts";
export * from "./repositories/organizations.ts";
export * from "./repositories/outbox.ts";
export * from "./repositories/templates.ts";
export * from "./repositories/timers.ts";
export * from "./repositories/users.ts";
export type { DB } from "./schema.ts";
export { createSecretBox, type SecretBox } from "./secret-box.ts";
export { runInTransaction, type StoreDb, withTransaction } from "./transaction.ts";
