import { randomUUID, createHash } from 'node:crypto';
import { AwsError } from './errors.ts';

/**
 * SQS SendMessage (awsJson1.0, `AmazonSQS.SendMessage`) and Secrets Manager
 * GetSecretValue (awsJson1.1): what sirbot's Lambda functions call besides the store,
 * so their handlers can be driven against the fake.
 */
export interface QueuedMessage {
  queueUrl: string;
  messageId: string;
  body: string;
  attributes: Record<string, unknown>;
}

export interface QueueState {
  messages: QueuedMessage[];
  /** Sends still to refuse with a 500 (a test's outage of SQS): each SendMessage while above 0 fails and counts down. */
  failSends?: number;
}

/** SQS refuses bodies over 256 KiB. */
const MAX_BODY = 256 * 1024;

export function sqsAction(state: QueueState, operation: string, input: Record<string, unknown>): Record<string, unknown> {
  if (operation !== 'SendMessage') throw new AwsError('UnsupportedOperation', `${operation} is not served by the fake`);
  if ((state.failSends ?? 0) > 0) {
    state.failSends = (state.failSends ?? 0) - 1;
    throw new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500);
  }
  const queueUrl = input.QueueUrl;
  const body = input.MessageBody;
  if (typeof queueUrl !== 'string' || !queueUrl) throw new AwsError('com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.');
  if (typeof body !== 'string' || body.length === 0) throw new AwsError('com.amazonaws.sqs#InvalidParameterValue', 'MessageBody is required');
  if (Buffer.byteLength(body) > MAX_BODY)
    throw new AwsError(
      'com.amazonaws.sqs#InvalidParameterValue',
      `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY} bytes.`,
    );
  const messageId = randomUUID();
  state.messages.push({ queueUrl, messageId, body, attributes: (input.MessageAttributes as Record<string, unknown>) ?? {} });
  return { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
}

export function getSecretValue(secrets: Record<string, string>, input: Record<string, unknown>): Record<string, unknown> {
  const id = String(input.SecretId ?? '');
  const value = secrets[id];
  if (value === undefined) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  return {
    ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${id}-AbCdEf`,
    Name: id,
    SecretString: value,
    VersionId: 'v1',
    VersionStages: ['AWSCURRENT'],
  };
}
