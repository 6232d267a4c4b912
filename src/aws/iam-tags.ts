import type { Principal } from '../domain/actions/principal-check.ts';
import type { PrincipalTags } from '../ports/people.ts';
import type { AwsClientFactory } from './clients.ts';
import { iamSdk } from './sdk.ts';

/** An IAM user's tags (iam:ListUserTags, every page), read in the user's account through the runtime's clients. */
export class IamUserTags implements PrincipalTags {
  constructor(private readonly clients: AwsClientFactory) {}

  async tagsOf(principal: Principal): Promise<Record<string, string>> {
    if (principal.kind !== 'iamUser') return {};
    const { ListUserTagsCommand } = iamSdk();
    const client = this.clients.iam(principal.account);
    const tags: Record<string, string> = {};
    let marker: string | undefined;
    do {
      const page = await client.send(new ListUserTagsCommand({ UserName: principal.name, ...(marker ? { Marker: marker } : {}) }));
      for (const t of page.Tags ?? []) if (t.Key !== undefined && t.Value !== undefined) tags[t.Key] = t.Value;
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return tags;
  }
}
