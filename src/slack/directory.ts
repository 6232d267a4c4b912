import type { WebClient } from '@slack/web-api';
import type { GroupDirectory } from '../actions/access.ts';
import type { SlackPeopleByEmail } from '../ports/people.ts';

/**
 * Workspace facts actions need: who is in a user group (usergroups:read), a person's
 * email (users:read.email), to make them a watcher of the cases they open, and who has
 * an email, to ask the person behind an IAM principal.
 */
export class SlackDirectory implements GroupDirectory, SlackPeopleByEmail {
  constructor(private readonly client: WebClient) {}

  async membersOf(groupId: string): Promise<string[]> {
    const res = await this.client.usergroups.users.list({ usergroup: groupId });
    return res.users ?? [];
  }

  /** users.lookupByEmail (users:read.email); Slack answers `users_not_found` for an email nobody has. */
  async userByEmail(email: string): Promise<string | null> {
    try {
      const res = await this.client.users.lookupByEmail({ email });
      return res.user?.deleted ? null : (res.user?.id ?? null);
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'users_not_found') return null;
      throw err;
    }
  }

  async emailOf(userId: string): Promise<string | null> {
    const res = await this.client.users.info({ user: userId });
    return res.user?.profile?.email ?? null;
  }
}
