/** What every inspector form shares: its props, WhatsApp's text limits, and readers for loose node data. */

/** WhatsApp's limits, so authors see overlong text before the channel cuts it. */
export const LIMITS = {
  text: 4096,
  body: 1024,
  header: 60,
  footer: 60,
  buttonTitle: 20,
  rowTitle: 24,
  buttonText: 20,
  caption: 1024,
} as const;

/** A partial update of a node's data; an `undefined` value removes the key. */
export type Patch = Record<string, unknown>;

/** Props of a per-node-type form: the node's data and a change callback naming the edited field. */
export interface FormProps {
  data: Record<string, unknown>;
  onChange: (patch: Patch, field: string) => void;
}

/** The value if it is a string, else "". */
export const str = (value: unknown): string => (typeof value === "string" ? value : "");
/** The value if it is a number, else undefined. */
export const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
