import type { Principal } from '../domain/actions/principal-check.ts';

/** The Slack user behind an IAM principal, and how sirbot knows (said in the audit log and the thread). */
export interface FoundPerson {
  slackUserId: string;
  /** e.g. "the email tag of IAM user ci-deployer", "the people file". */
  via: string;
}

/**
 * Who is behind an IAM principal: the use case asks; the runtime's adapter looks in the
 * people file, the principal's IAM tags (an email or a Slack id), an IAM Identity Center
 * session named after an email, and Slack (`users.lookupByEmail`). Null when nobody is found.
 */
export interface PrincipalPeople {
  personFor(principal: Principal): Promise<FoundPerson | null>;
}

/** An IAM user's tags (ListUserTags), in the principal's account; empty for principals that are not IAM users. */
export interface PrincipalTags {
  tagsOf(principal: Principal): Promise<Record<string, string>>;
}

/** Slack's people by email (users.lookupByEmail); null when nobody in the workspace has it. */
export interface SlackPeopleByEmail {
  userByEmail(email: string): Promise<string | null>;
}
