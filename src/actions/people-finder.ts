import { emailOfSession, mappedPerson, type PeopleMapping, personFromTags, type Principal, type TaggedPerson } from '../domain/actions/principal-check.ts';
import type { FoundPerson, PrincipalPeople, PrincipalTags, SlackPeopleByEmail } from '../ports/people.ts';

/**
 * Who is behind an IAM principal, looked for in order: the people file (root, shared
 * users, roles), the IAM user's tags (a Slack user id, else an email looked up in Slack),
 * then an IAM Identity Center session named after the person's email. Anything else is
 * nobody's to ask.
 */
export class PeopleFinder implements PrincipalPeople {
  constructor(
    private readonly tags: PrincipalTags,
    private readonly slack: SlackPeopleByEmail,
    private readonly mapping: PeopleMapping = [],
  ) {}

  private async slackUserOf(person: TaggedPerson | null): Promise<string | null> {
    if (person?.slackUserId) return person.slackUserId;
    return person?.email ? this.slack.userByEmail(person.email) : null;
  }

  async personFor(principal: Principal): Promise<FoundPerson | null> {
    const mapped = await this.slackUserOf(mappedPerson(this.mapping, principal));
    if (mapped) return { slackUserId: mapped, via: 'the people file' };
    if (principal.kind === 'iamUser') {
      const tagged = personFromTags(await this.tags.tagsOf(principal));
      if (tagged?.slackUserId) return { slackUserId: tagged.slackUserId, via: `the Slack tag of IAM user ${principal.name}` };
      if (tagged?.email) {
        const user = await this.slack.userByEmail(tagged.email);
        if (user) return { slackUserId: user, via: `the email tag of IAM user ${principal.name}` };
      }
      return null;
    }
    if (principal.kind === 'roleSession') {
      const email = emailOfSession(principal.name);
      const user = email ? await this.slack.userByEmail(email) : null;
      return user ? { slackUserId: user, via: `the session name of role ${principal.role ?? '?'}` } : null;
    }
    return null;
  }
}
