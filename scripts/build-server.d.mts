/** Types of build-server.mjs, for the TypeScript that imports it (tests and their helpers). */

/** Where the compiled CLI goes (absolute). */
export const SERVER_DIR: string;
/** The compiled CLI's entry, dist/server/main.js (absolute). */
export const SERVER_ENTRY: string;
/** Builds dist/server unless it is up to date; resolves to whether it built. */
export function ensureServerBuild(options?: { force?: boolean }): Promise<boolean>;
