/** Security IR's errors as typed classes, each with the service's own message. */
export class SecurityIRError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export class ValidationError extends SecurityIRError {
  /** The fields the service refused, with why. */
  get fieldList(): Array<{ name: string; message: string }> {
    return (this.details.fieldList as Array<{ name: string; message: string }> | undefined) ?? [];
  }
}
export class ConflictError extends SecurityIRError {}
export class AccessDeniedError extends SecurityIRError {}
export class NotFoundError extends SecurityIRError {}
export class ThrottlingError extends SecurityIRError {
  constructor(
    code: string,
    message: string,
    status: number,
    details: Record<string, unknown>,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(code, message, status, details);
  }
}

export function errorFrom(status: number, headers: Headers, body: unknown): SecurityIRError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const raw = headers.get('x-amzn-errortype') ?? (typeof b.__type === 'string' ? b.__type : '') ?? '';
  const code = raw.split(':')[0]?.split('#').pop() || `Http${status}`;
  const message = typeof b.message === 'string' ? b.message : typeof b.Message === 'string' ? b.Message : `HTTP ${status}`;
  switch (code) {
    case 'ValidationException':
      return new ValidationError(code, message, status, b);
    case 'ConflictException':
      return new ConflictError(code, message, status, b);
    case 'AccessDeniedException':
      return new AccessDeniedError(code, message, status, b);
    case 'ResourceNotFoundException':
      return new NotFoundError(code, message, status, b);
    case 'ThrottlingException': {
      const header = Number(headers.get('retry-after'));
      return new ThrottlingError(code, message, status, b, Number.isFinite(header) && header > 0 ? header : undefined);
    }
    default:
      return new SecurityIRError(code, message, status, b);
  }
}
