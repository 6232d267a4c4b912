/** What the renderers need to know about the workspace beyond the payload itself. */
export interface RenderContext {
  /** Display name of a user id, as a `<@U…>` mention shows it; undefined when unknown. */
  userName(id: string): string | undefined;
  channelName?(id: string): string | undefined;
  /** A user group's handle, without the `@`. */
  groupHandle?(id: string): string | undefined;
  /** IANA zone that dates and message times are shown in (Slack uses the reader's); UTC by default. */
  timeZone?: string;
  /** The reader's clock in ms, for "today"/"yesterday" and "ago"; Date.now by default. */
  now?(): number;
}
