/**
 * Hands rows a process just committed to the lane that will work on them, so an embedded runtime does
 * not read back what it wrote a moment ago. The store stays the truth: a lane trusts its memory only
 * once a read of the store found no backlog ("synced"), and anything that wrote behind the memory's
 * back (recovery, a retry, a full buffer) makes it read the store again.
 */

export interface HandoffRow {
  id: number;
}

export interface LineHandoff<R extends HandoffRow> {
  /** Rows committed for a contact, in any order; kept sorted by id. */
  handOver(contactId: string, rows: readonly R[]): void;
  /** The contact's rows known to be all its pending work, or null when the store must be read. */
  take(contactId: string): readonly R[] | null;
  /** Rows up to `id` are finished (processed, sent or failed for good). */
  done(contactId: string, id: number): void;
  /** Taken before reading the store; `synced` ignores a read that a `forget` overtook. */
  mark(contactId: string): number;
  /**
   * A read of the store, started at `mark`, found the whole backlog up to `lastId`: memory is
   * complete from here on, unless something was forgotten since the read began.
   */
  synced(contactId: string, lastId: number, mark: number): void;
  /** Something changed the contact's rows in the store: read it again before trusting memory. */
  forget(contactId: string): void;
}

interface Line<R> {
  rows: R[];
  synced: boolean;
  /** Bumped by every forget. */
  generation: number;
}

export interface LineHandoffOptions {
  /** Contacts remembered; the least recently used beyond this are forgotten (their next drain reads). */
  maxContacts?: number;
  /** Rows buffered per contact; a longer backlog is left to the store. */
  maxRows?: number;
}

function forgetLine(line: Line<unknown>): void {
  line.rows = [];
  line.synced = false;
  line.generation += 1;
}

/** In-memory handoff for one process that owns every contact line (embedded mode). */
export function createLineHandoff<R extends HandoffRow>(options: LineHandoffOptions = {}): LineHandoff<R> {
  const maxContacts = options.maxContacts ?? 50_000;
  const maxRows = options.maxRows ?? 100;
  const lines = new Map<string, Line<R>>();

  function line(contactId: string): Line<R> {
    let found = lines.get(contactId);
    if (found) {
      // Re-insert to keep the map in least-recently-used order.
      lines.delete(contactId);
    } else {
      found = { rows: [], synced: false, generation: 0 };
      if (lines.size >= maxContacts) {
        const oldest = lines.keys().next().value;
        if (oldest !== undefined) lines.delete(oldest);
      }
    }
    lines.set(contactId, found);
    return found;
  }

  return {
    handOver(contactId, rows) {
      const current = line(contactId);
      for (const row of rows) {
        let index = current.rows.length;
        while (index > 0 && (current.rows[index - 1] as R).id > row.id) index -= 1;
        if (current.rows[index - 1]?.id === row.id) continue;
        current.rows.splice(index, 0, row);
      }
      if (current.rows.length > maxRows) forgetLine(current);
    },
    take(contactId) {
      const current = lines.get(contactId);
      return current?.synced ? current.rows.slice() : null;
    },
    done(contactId, id) {
      const current = lines.get(contactId);
      if (!current) return;
      let count = 0;
      while (count < current.rows.length && (current.rows[count] as R).id <= id) count += 1;
      if (count > 0) current.rows = current.rows.slice(count);
    },
    mark(contactId) {
      return line(contactId).generation;
    },
    synced(contactId, lastId, mark) {
      const current = line(contactId);
      if (current.generation !== mark) return;
      current.rows = current.rows.filter((row) => row.id > lastId);
      current.synced = true;
    },
    forget(contactId) {
      const current = lines.get(contactId);
      if (current) forgetLine(current);
    },
  };
}

export interface DrainLineOptions<R extends HandoffRow> {
  /** Null in scale-out: every page is read from the store. */
  handoff: LineHandoff<R> | null | undefined;
  contactId: string;
  /** Rows read from the store per page. */
  pageSize: number;
  /** The contact's next `limit` rows from the store, in order. */
  readPage(limit: number): Promise<readonly R[]>;
  /** Works on one row; false when the line must wait (the row stays unfinished). */
  handle(row: R): Promise<boolean>;
}

/**
 * Works through a contact's line in order: from memory while the handoff trusts it, else page by page
 * from the store, and a short page (the whole backlog) makes memory trusted from there on.
 */
export async function drainLine<R extends HandoffRow>(options: DrainLineOptions<R>): Promise<void> {
  const { handoff, contactId, pageSize } = options;
  for (;;) {
    const handed = handoff?.take(contactId) ?? null;
    const mark = handoff?.mark(contactId) ?? 0;
    const rows = handed ?? (await options.readPage(pageSize));
    for (const row of rows) {
      if (!(await options.handle(row))) return;
      handoff?.done(contactId, row.id);
    }
    if (handed) {
      if (rows.length === 0) return;
      continue; // rows handed over meanwhile
    }
    // A short page was the whole backlog; rows written meanwhile kicked the line again.
    if (rows.length < pageSize) {
      handoff?.synced(contactId, rows[rows.length - 1]?.id ?? 0, mark);
      return;
    }
  }
}
