import type { AwsCredentialIdentity } from '@smithy/types';

/** The secret of the fake AWS's static credentials; it signs requests that open nothing real. */
export const FAKE_SECRET = 'fake-secret-for-the-local-aws-emulator';

/** Credentials the fake AWS maps to an account (`FAKE<account>`). */
export function fakeCredentials(accountId: string): AwsCredentialIdentity {
  return { accessKeyId: `FAKE${accountId}`, secretAccessKey: FAKE_SECRET };
}
