import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Job, JobRunner } from '../jobs/job.ts';

/**
 * Jobs sent to the work queue (Lambda): the Slack function answers Slack at once and
 * the worker function does the work. SQS delivers at least once; every job is
 * idempotent through the action records it claims.
 */
export class SqsJobs implements JobRunner {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async run(job: Job): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        MessageAttributes: { kind: { DataType: 'String', StringValue: job.kind } },
      }),
    );
  }

  async idle(): Promise<void> {}
}
