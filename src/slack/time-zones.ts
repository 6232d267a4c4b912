import type { WebClient } from '@slack/web-api';
import type { TimeZones } from '../ports/time-zones.ts';

/** A person's time zone as their Slack profile gives it (users.info `tz`, users:read), or null. */
export class SlackTimeZones implements TimeZones {
  constructor(private readonly client: WebClient) {}

  async timeZoneOf(user: string): Promise<string | null> {
    const res = await this.client.users.info({ user }).catch(() => null);
    const tz = (res?.user as { tz?: unknown } | undefined)?.tz;
    return typeof tz === 'string' && tz.length <= 64 ? tz : null;
  }
}
