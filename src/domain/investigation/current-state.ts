import type { SubjectKind } from './subjects.ts';

/**
 * What a subject looks like now, as the API for its kind described it (GetUser,
 * GetRole, ListAccessKeys, DescribeInstances, GetBucketPolicyStatus…), apart from what
 * happened in the window. `exists` is only ever false when that API said so; a lookup
 * that was not made or failed leaves it null (and the failure is a limiting factor).
 */
export interface SubjectState {
  kind: SubjectKind | 'instanceProfile' | 'policy';
  id: string;
  accountId: string | null;
  region: string | null;
  /** true: described; false: the API answered that it does not exist; null: not known. */
  exists: boolean | null;
  /** accessKey: `Active` | `Inactive`; instance: `running`, `stopped`, `terminated`…; bucket: `public` | `not public`. */
  status?: string;
  /** accessKey: its user; instance: its instance profile; instanceProfile: its role; role: the instance profiles it is in. */
  owner?: string;
  /** When it was created, and (keys, roles) last used. */
  createdAt?: string;
  lastUsedAt?: string;
  /** Where it was last used (an access key: the service and region; a role: the region). */
  lastUsedWhere?: string;
  /** Managed and inline policies attached (IAM users and roles). */
  policies?: string[];
  /** instance: whether IMDSv2 is required (`required`) or v1 still allowed (`optional`). */
  metadataTokens?: 'required' | 'optional';
  /** instance: its public IP and the security group rules open to the internet. */
  publicIp?: string;
  exposure?: string[];
  /** Whether it was created during the investigated activity. */
  createdInWindow?: boolean;
  /** Anything else worth saying, in words, one fact each. */
  facts: string[];
}

/** The state of one subject, if it was looked up. */
export function stateOf(states: readonly SubjectState[], kind: SubjectState['kind'], id: string): SubjectState | undefined {
  return states.find((s) => s.kind === kind && s.id === id);
}
