/** Contacts: search and page them, read one, and edit what an operator may change. */
import {
  type ContactPatch,
  type ContactRecord,
  getContact,
  listContacts,
  type Page,
  updateContact,
} from "../../store/index.ts";
import type { PageRequest, ServiceContext } from "./context.ts";
import { notFound } from "./scope.ts";

export interface ContactListQuery extends PageRequest {
  search?: string | undefined;
  tag?: string | undefined;
  channelId?: string | undefined;
}

/** One page of contacts, most recently active first. */
export function listContactPage(
  ctx: ServiceContext,
  organizationId: string,
  query: ContactListQuery,
): Promise<Page<ContactRecord>> {
  return listContacts(ctx.db, organizationId, {
    search: query.search,
    tag: query.tag,
    channelId: query.channelId,
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** One contact, or 404. */
export async function requireContact(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<ContactRecord> {
  const contact = await getContact(ctx.db, organizationId, id);
  if (!contact) throw notFound("contact", id);
  return contact;
}

/** Changes name, attributes, tags or the opt-out flag; tags are trimmed and deduplicated. */
export async function editContact(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
  changes: Omit<ContactPatch, "at" | "phone">,
): Promise<ContactRecord> {
  const tags = changes.tags === undefined ? undefined : [...new Set(changes.tags.map((tag) => tag.trim()))];
  const contact = await updateContact(ctx.db, organizationId, id, { ...changes, tags, at: ctx.now() });
  if (!contact) throw notFound("contact", id);
  return contact;
}
