/**
 * Fits option ids into Telegram's `callback_data` (1–64 bytes of UTF-8). An id that fits travels
 * as-is; a longer one becomes `#<position>` and comes back as the button's title, which the engine
 * matches as well as ids.
 */

export const MAX_CALLBACK_DATA_BYTES = 64;
const POSITION_PATTERN = /^#(\d+)$/;

/** The callback_data for the option at `position` (1-based place in the keyboard). */
export function encodeCallbackData(optionId: string, position: number): string {
  const bytes = Buffer.byteLength(optionId, "utf8");
  // An id that already looks like "#3" would be read back as a position, so it is encoded too.
  if (bytes === 0 || bytes > MAX_CALLBACK_DATA_BYTES || POSITION_PATTERN.test(optionId)) {
    return `#${position}`;
  }
  return optionId;
}

/** The option id carried by callback_data, or the 1-based keyboard position when it was encoded. */
export function decodeCallbackData(data: string): { optionId: string } | { position: number } {
  const match = POSITION_PATTERN.exec(data);
  return match?.[1] === undefined ? { optionId: data } : { position: Number(match[1]) };
}
