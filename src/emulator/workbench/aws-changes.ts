import type { FakeAws } from '../aws/server.ts';

/** Calls that only read: the workbench lists the others, which changed something. */
const READS = /^(Get|List|Describe|Lookup|BatchGet|Search|AssumeRole$)/;

export interface AwsChange {
  operation: string;
  account: string;
  region: string;
  status: number;
  at: string;
}

/** What sirbot changed in the fake AWS, newest last, as the workbench page shows it. */
export function awsChanges(fake: Pick<FakeAws, 'calls'>, limit = 50): () => { changes: AwsChange[] } {
  return () => ({
    changes: fake
      .calls()
      .filter((c) => !READS.test(c.operation))
      .slice(-limit)
      .map((c) => ({ operation: c.operation, account: c.account, region: c.region, status: c.status, at: new Date(c.at).toISOString() })),
  });
}
