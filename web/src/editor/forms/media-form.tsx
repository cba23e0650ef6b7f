/** Inspector form for a media node: type, URL, caption and, for documents, a file name. */
import { SelectField, TextField } from "../../components/fields.tsx";
import { type FormProps, LIMITS, str } from "./form-props.ts";

/** The media node form. */
export function MediaForm({ data, onChange }: FormProps) {
  return (
    <>
      <SelectField
        label="Media type"
        testId="field-media-type"
        value={str(data.mediaType) || "image"}
        options={["image", "video", "audio", "document", "sticker"] as const}
        onChange={(mediaType) => onChange({ mediaType }, "mediaType")}
      />
      <TextField
        label="URL"
        testId="field-media-url"
        value={str(data.mediaUrl)}
        onChange={(mediaUrl) => onChange({ mediaUrl }, "mediaUrl")}
        placeholder="https://…"
      />
      <TextField
        label="Caption"
        testId="field-caption"
        multiline
        limit={LIMITS.caption}
        value={str(data.caption)}
        onChange={(caption) => onChange({ caption }, "caption")}
      />
      {str(data.mediaType) === "document" ? (
        <TextField
          label="File name"
          testId="field-filename"
          value={str(data.filename)}
          onChange={(filename) => onChange({ filename }, "filename")}
        />
      ) : null}
    </>
  );
}
