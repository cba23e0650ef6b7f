/**
 * WhatsApp templates and template groups (seed 003). A group is an ordered fallback list whose every
 * template must belong to the organization.
 */
import { ParleyError } from "../../core/errors.ts";
import {
  createTemplate,
  createTemplateGroup,
  getChannel,
  getTemplate,
  listTemplateGroups,
  listTemplates,
  type TemplateGroupRecord,
  type TemplateRecord,
} from "../../store/index.ts";
import type { ServiceContext } from "./context.ts";
import { notFound } from "./scope.ts";

export interface TemplateInput {
  name: string;
  language: string;
  category: string;
  status: string;
  components: unknown[];
  channelId?: string | null | undefined;
}

/** The organization's templates, optionally of one channel or name. */
export function listTemplatesOf(
  ctx: ServiceContext,
  organizationId: string,
  filter: { channelId?: string | undefined; name?: string | undefined },
): Promise<TemplateRecord[]> {
  return listTemplates(ctx.db, organizationId, filter);
}

/** One template, or 404. */
export async function requireTemplate(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<TemplateRecord> {
  const template = await getTemplate(ctx.db, organizationId, id);
  if (!template) throw notFound("template", id);
  return template;
}

/** Records a template (as approved in Meta's manager, or pending). */
export async function addTemplate(
  ctx: ServiceContext,
  organizationId: string,
  input: TemplateInput,
): Promise<TemplateRecord> {
  if (input.channelId && !(await getChannel(ctx.db, organizationId, input.channelId))) {
    throw new ParleyError("VALIDATION_FAILED", "Unknown channel.", [
      { path: "body.channel_id", message: `No channel with id "${input.channelId}" in this organization.` },
    ]);
  }
  return createTemplate(ctx.db, { organizationId, ...input, at: ctx.now() });
}

/** The organization's template groups. */
export function listTemplateGroupsOf(
  ctx: ServiceContext,
  organizationId: string,
): Promise<TemplateGroupRecord[]> {
  return listTemplateGroups(ctx.db, organizationId);
}

/** Creates a group; each id must be one of the organization's templates (problems name the index). */
export async function addTemplateGroup(
  ctx: ServiceContext,
  organizationId: string,
  input: { name: string; templateIds: string[] },
): Promise<TemplateGroupRecord> {
  const found = await Promise.all(input.templateIds.map((id) => getTemplate(ctx.db, organizationId, id)));
  const problems = input.templateIds.flatMap((id, index) =>
    found[index]
      ? []
      : [
          {
            path: `body.template_ids[${index}]`,
            message: `No template with id "${id}" in this organization.`,
          },
        ],
  );
  if (problems.length > 0)
    throw new ParleyError("VALIDATION_FAILED", "Unknown templates in the group.", problems);
  return createTemplateGroup(ctx.db, { organizationId, ...input, at: ctx.now() });
}
