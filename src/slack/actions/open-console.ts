import type { SlackRouter } from '../router.ts';

/** A link button still sends an interaction; acknowledging it keeps Slack from showing an error. */
export function register(app: SlackRouter): void {
  app.action('open_console', async ({ ack }) => {
    await ack();
  });
}
