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

export const throttled = (message = 'Rate exceeded') => new AwsError('ThrottlingException', message, 400);
