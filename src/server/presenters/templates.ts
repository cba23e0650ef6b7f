/** Templates and template groups as the API shows them (snake_case). */
import { z } from "zod";
import type { TemplateGroupRecord, TemplateRecord } from "../../store/index.ts";
import { toIso } from "./shared.ts";

export const templateSchema = z.object({
  id: z.string(),
  channel_id: z.string().nullable(),
  name: z.string(),
  language: z.string(),
  category: z.string(),
  status: z.string(),
  components: z.array(z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const templateGroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  template_ids: z.array(z.string()).describe("Fallback order: the first approved template is sent"),
  created_at: z.string(),
});

/** A template record as JSON. */
export function presentTemplate(template: TemplateRecord): z.infer<typeof templateSchema> {
  return {
    id: template.id,
    channel_id: template.channelId,
    name: template.name,
    language: template.language,
    category: template.category,
    status: template.status,
    components: template.components,
    created_at: toIso(template.createdAt),
    updated_at: toIso(template.updatedAt),
  };
}

/** A template group as JSON. */
export function presentTemplateGroup(group: TemplateGroupRecord): z.infer<typeof templateGroupSchema> {
  return {
    id: group.id,
    name: group.name,
    template_ids: group.templateIds,
    created_at: toIso(group.createdAt),
  };
}
