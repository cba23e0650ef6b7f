/**
 * Zod schemas for the parts of a Telegram `Update` Parley reads. They keep only the fields we use and
 * accept anything else, since Telegram adds fields and update kinds regularly.
 */
import { z } from "zod";

const userSchema = z.object({
  id: z.number(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

const chatSchema = userSchema.extend({ type: z.string().optional(), title: z.string().optional() });

const fileSchema = z.object({
  file_id: z.string(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
});

const inlineKeyboardSchema = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

/** Optional parts that fail to parse are dropped rather than sinking the whole message. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

export const telegramMessageSchema = z.object({
  message_id: z.number(),
  from: lenient(userSchema),
  chat: chatSchema,
  date: z.number(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: lenient(z.array(fileSchema).min(1)),
  document: lenient(fileSchema),
  video: lenient(fileSchema),
  video_note: lenient(fileSchema),
  audio: lenient(fileSchema),
  voice: lenient(fileSchema),
  sticker: lenient(fileSchema),
  location: lenient(z.object({ latitude: z.number(), longitude: z.number() })),
  contact: lenient(z.object({ phone_number: z.string(), first_name: z.string().optional() })),
  reply_to_message: lenient(z.object({ message_id: z.number() })),
  reply_markup: lenient(inlineKeyboardSchema),
});

export const telegramCallbackQuerySchema = z.object({
  id: z.string(),
  from: userSchema,
  message: lenient(
    z.object({ message_id: z.number(), chat: chatSchema, reply_markup: lenient(inlineKeyboardSchema) }),
  ),
  data: z.string().optional(),
});

export type TelegramMessage = z.infer<typeof telegramMessageSchema>;
export type TelegramCallbackQuery = z.infer<typeof telegramCallbackQuerySchema>;
export type TelegramUser = z.infer<typeof userSchema>;
