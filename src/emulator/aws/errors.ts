/** An AWS error as the service answers it; each protocol renders it its own way. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** CloudTrail (awsJson1.1) answers throttling with 400; Security IR's model gives ThrottlingException HTTP 429. */
export const throttled = (message = 'Rate exceeded', status = 400) => new AwsError('ThrottlingException', message, status);
