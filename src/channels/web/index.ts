/** The web simulator channel's public API. */

export type { ListPage } from "../list-pages.ts";
export { LIST_PAGE_SIZE, MAX_LIST_ROWS, MORE_OPTIONS_TITLE, selectListPage } from "../list-pages.ts";
export type { WebRendered } from "./render-web-message.ts";
export { cutText, describeTemplate, renderWebMessage, WEB_LIMITS } from "./render-web-message.ts";
export type { WebChannel, WebChannelOptions, WebListener, WebMessage } from "./web-channel.ts";
export { buildWebInbound, createWebChannel } from "./web-channel.ts";
