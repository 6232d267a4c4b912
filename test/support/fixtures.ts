import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Third-party samples live beside the checkout in ../shared/fixtures and are read in place. */
export const SHARED_FIXTURES = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)), 'shared/fixtures');
export const OWN_FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_FIXTURES, ...parts);
}

export function readShared(...parts: string[]): string {
  return readFileSync(sharedPath(...parts), 'utf8');
}

export function sharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readShared(...parts)) as T;
}

export function listShared(...parts: string[]): string[] {
  return readdirSync(sharedPath(...parts)).filter((f) => f.endsWith('.json'));
}

export function ownJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(path.join(OWN_FIXTURES, ...parts), 'utf8')) as T;
}

/** Wraps a document as a Lambda SNS event delivers it. */
export function snsLambdaEvent(message: unknown): unknown {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:111122223333:sirbot-findings:0b1e7c5a-2f2e-4a8e-9a39-6f1c0e0b6a11',
        Sns: {
          Type: 'Notification',
          MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          TopicArn: 'arn:aws:sns:us-east-1:111122223333:sirbot-findings',
          Subject: null,
          Message: JSON.stringify(message),
          Timestamp: '2026-11-22T10:00:00.000Z',
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** Wraps a document as an SNS HTTP(S) subscription receives it. */
export function snsHttpBody(message: unknown): unknown {
  return {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:sirbot-findings',
    Message: JSON.stringify(message),
    Timestamp: '2026-11-22T10:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  };
}
