/** Where a message the notifier made is: its channel (as Slack answered it) and its timestamp; kept by a use case that edits the message later. */
export interface MessagePlace {
  channel: string;
  ts: string;
}
