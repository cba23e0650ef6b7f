/**
 * What every service function receives: the database, the secret box for channel credentials, the
 * public URL webhooks are registered under, and a clock (tests pin it).
 */
import type { SecretBox, StoreDb } from "../../store/index.ts";

export interface ServiceContext {
  db: StoreDb;
  secretBox: SecretBox;
  /** PARLEY_PUBLIC_URL without a trailing slash; webhook URLs are relative paths when unset. */
  publicUrl: string | undefined;
  now(): number;
}

/** The page a list route asks for, already bounded by its query schema. */
export interface PageRequest {
  page: number;
  pageSize: number;
}
