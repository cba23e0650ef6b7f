/** `media`: sends an image, video, audio, document or sticker by URL, then continues. */
import type { NodeHandler } from "../step.ts";

export const mediaNode: NodeHandler<"media"> = {
  handles: () => ["default"],
  enter(node, step) {
    const { mediaType, mediaUrl, caption, filename } = node.data;
    const url = step.render(mediaUrl).trim();
    if (url !== "") {
      const renderedCaption = step.render(caption);
      step.send(node, {
        type: "media",
        mediaType,
        url,
        ...(renderedCaption ? { caption: renderedCaption } : {}),
        ...(filename ? { filename: step.render(filename) } : {}),
      });
    }
    return { kind: "next" };
  },
};
