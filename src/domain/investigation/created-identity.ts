/** An identity (user, role, key, login profile) or instance the activity created: who made it and when. */
export interface CreatedIdentity {
  kind: 'user' | 'role' | 'access-key' | 'login-profile' | 'instance';
  name: string;
  by: string | null;
  at: string;
  accountId: string | null;
}
