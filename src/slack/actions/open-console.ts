import type { App } from '@slack/bolt';

/** A link button still sends an interaction; acknowledging it keeps Slack from showing an error. */
export function register(app: App): void {
  app.action('open_console', async ({ ack }) => {
    await ack();
  });
}
