import type { WebClient } from '@slack/web-api';
import type { GroupDirectory } from '../actions/access.ts';

/**
 * Workspace facts actions need: who is in a user group (usergroups:read) and a
 * person's email (users:read.email), to make them a watcher of the cases they open.
 */
export class SlackDirectory implements GroupDirectory {
  constructor(private readonly client: WebClient) {}

  async membersOf(groupId: string): Promise<string[]> {
    const res = await this.client.usergroups.users.list({ usergroup: groupId });
    return res.users ?? [];
  }

  async emailOf(userId: string): Promise<string | null> {
    const res = await this.client.users.info({ user: userId });
    return res.user?.profile?.email ?? null;
  }
}
