/**
 * Meta's validation rules for a WhatsApp Cloud API `/messages` body, as the fake Graph API applies
 * them: what Meta rejects, with Meta's error codes (fact sheet §6.1, §6.2).
 */

/** An error Meta answers with: HTTP status, Graph error code, title and optional details. */
export interface GraphErrorSpec {
  status: number;
  code: number;
  title: string;
  details?: string;
}

/** Meta's checks on a `/messages` body (fact sheet §6.1, §6.2), with its error codes. */
export function validateMessageBody(
  body: unknown,
  templates: Record<string, number> | undefined,
): GraphErrorSpec | undefined {
  if (!isRecord(body)) return invalid(100, "Invalid parameter", "Request body must be a JSON object");
  if (body.messaging_product !== "whatsapp")
    return invalid(100, "Invalid parameter", "messaging_product must be whatsapp");
  if (body.status === "read") return typeof body.message_id === "string" ? undefined : missing("message_id");
  if (typeof body.to !== "string" || body.to === "") return missing("to");
  const content = typeof body.type === "string" ? body[body.type] : undefined;
  switch (body.type) {
    case "text":
      return validateText(content);
    case "interactive":
      return validateInteractive(content);
    case "template":
      return validateTemplate(content, templates);
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return isRecord(content) && (typeof content.link === "string" || typeof content.id === "string")
        ? undefined
        : missing(`${body.type}.link or ${body.type}.id`);
    default:
      return invalid(
        131051,
        "Unsupported message type",
        `Message type ${String(body.type)} is not supported`,
      );
  }
}

function validateText(text: unknown): GraphErrorSpec | undefined {
  if (!isRecord(text) || typeof text.body !== "string" || text.body === "") return missing("text.body");
  if (text.body.length > 4096)
    return invalid(100, "Invalid parameter", "Param text['body'] must be at most 4096 characters long.");
  return undefined;
}

function validateInteractive(interactive: unknown): GraphErrorSpec | undefined {
  if (!isRecord(interactive) || !isRecord(interactive.action)) return missing("interactive.action");
  const bodyText = isRecord(interactive.body) ? interactive.body.text : undefined;
  if (typeof bodyText !== "string" || bodyText === "") return missing("interactive.body.text");
  const header = isRecord(interactive.header) ? interactive.header.text : undefined;
  const footer = isRecord(interactive.footer) ? interactive.footer.text : undefined;
  if (typeof header === "string" && header.length > 60)
    return valueInvalid("Header text length invalid. Max length: 60");
  if (typeof footer === "string" && footer.length > 60)
    return valueInvalid("Footer text length invalid. Max length: 60");
  const action = interactive.action;
  if (interactive.type === "button") {
    if (bodyText.length > 1024) return valueInvalid("Body text length invalid. Max length: 1024");
    const buttons = Array.isArray(action.buttons) ? action.buttons : [];
    if (buttons.length < 1 || buttons.length > 3)
      return valueInvalid("Buttons count invalid. Min: 1, Max: 3");
    const replies = buttons.map((button) => (isRecord(button) && isRecord(button.reply) ? button.reply : {}));
    const titles = replies.map((reply) => reply.title);
    if (titles.some((t) => typeof t !== "string" || t.length < 1 || t.length > 20)) {
      return valueInvalid("Button title length invalid. Min length: 1, Max length: 20");
    }
    if (new Set(titles).size !== titles.length) return valueInvalid("Duplicate button titles found");
    const ids = replies.map((reply) => reply.id);
    if (ids.some((id) => typeof id !== "string" || id.length < 1 || id.length > 256))
      return missing("reply.id");
    return new Set(ids).size === ids.length ? undefined : valueInvalid("Duplicate button ids found");
  }
  if (interactive.type === "list") {
    if (bodyText.length > 4096) return valueInvalid("Body text length invalid. Max length: 4096");
    if (typeof action.button !== "string" || action.button.length < 1 || action.button.length > 20) {
      return valueInvalid("Button text length invalid. Min length: 1, Max length: 20");
    }
    const sections = Array.isArray(action.sections) ? action.sections.filter(isRecord) : [];
    if (sections.length < 1 || sections.length > 10)
      return valueInvalid("Sections count invalid. Min: 1, Max: 10");
    const rows = sections.flatMap((section) => (Array.isArray(section.rows) ? section.rows : []));
    if (rows.length < 1 || rows.length > 10)
      return valueInvalid("Total row count exceed max allowed count: 10");
    for (const row of rows) {
      if (!isRecord(row) || typeof row.id !== "string" || row.id === "" || row.id.length > 200)
        return missing("row.id");
      if (typeof row.title !== "string" || row.title.length < 1 || row.title.length > 24) {
        return valueInvalid("Row title length invalid. Min length: 1, Max length: 24");
      }
      if (typeof row.description === "string" && row.description.length > 72) {
        return valueInvalid("Row description length invalid. Max length: 72");
      }
    }
    return undefined;
  }
  return invalid(
    100,
    "Invalid parameter",
    `Interactive type ${String(interactive.type)} is not supported by the fake`,
  );
}

function validateTemplate(
  template: unknown,
  templates: Record<string, number> | undefined,
): GraphErrorSpec | undefined {
  if (!isRecord(template) || typeof template.name !== "string" || template.name === "")
    return missing("template.name");
  const code = isRecord(template.language) ? template.language.code : undefined;
  if (typeof code !== "string" || code === "") return missing("template.language.code");
  if (!templates) return undefined;
  const expected = Object.hasOwn(templates, template.name) ? templates[template.name] : undefined;
  if (expected === undefined) {
    const details = `template name (${template.name}) does not exist in ${code}`;
    return invalid(132001, "Template name does not exist in the translation", details);
  }
  const components = Array.isArray(template.components) ? template.components.filter(isRecord) : [];
  const bodyComponent = components.find((component) => component.type === "body");
  const given =
    bodyComponent && Array.isArray(bodyComponent.parameters) ? bodyComponent.parameters.length : 0;
  if (given === expected) return undefined;
  const details = `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`;
  return invalid(132000, "Number of parameters does not match the expected number of params", details);
}

function invalid(code: number, title: string, details: string): GraphErrorSpec {
  return { status: 400, code, title, details };
}

function valueInvalid(details: string): GraphErrorSpec {
  return invalid(131009, "Parameter value is not valid", details);
}

function missing(field: string): GraphErrorSpec {
  return invalid(131008, "Required parameter is missing", `Parameter ${field} is required`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
