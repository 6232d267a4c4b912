import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { credentialProvidersSdk } from '../sdk.ts';
import { errorFrom, ThrottlingError } from './errors.ts';

/**
 * Why this exists: `@aws-sdk/client-security-ir` is not served by the package registry
 * this project installs from. This is the smallest stand-in: restJson1 requests signed
 * with SigV4 (signing name `security-ir`) using the standard credential chain, shaped
 * like the SDK (a client with `send(command)`), so swapping in the official client is a
 * one-file change in `client.ts`.
 */

/** node:crypto behind the hash interface SignatureV4 expects. */
type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Source): string | Uint8Array =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

class Sha256 {
  private readonly hash;
  constructor(secret?: Source) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: Source): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface SecurityIRClientConfig {
  region: string;
  /** Defaults to the service's endpoint, `https://security-ir.{region}.api.aws`. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call, including retries of throttling and server errors. */
  maxAttempts?: number;
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Dates travel as epoch seconds, as the service's JSON protocol sends timestamps. */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}

export class SignedJsonTransport {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;
  private readonly maxAttempts: number;

  constructor(config: SecurityIRClientConfig) {
    this.endpoint = new URL(config.endpoint ?? `https://security-ir.${config.region}.api.aws`);
    this.maxAttempts = config.maxAttempts ?? 5;
    this.signer = new SignatureV4({
      service: 'security-ir',
      region: config.region,
      credentials: config.credentials ?? credentialProvidersSdk().fromNodeProviderChain(),
      sha256: Sha256,
    });
  }

  async call(request: HttpCall): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(request);
      } catch (err) {
        const retryable = err instanceof ThrottlingError || (err as { status?: number }).status === 500 || (err as { status?: number }).status === 503;
        if (!retryable || attempt >= this.maxAttempts) throw err;
        const wait = err instanceof ThrottlingError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 100 * 2 ** attempt;
        await sleep(Math.min(wait, 20_000));
      }
    }
  }

  private async once(request: HttpCall): Promise<unknown> {
    const body = request.body === undefined ? undefined : JSON.stringify(toWire(request.body));
    const path = `${this.endpoint.pathname.replace(/\/$/, '')}${request.path}`;
    const headers: Record<string, string> = { host: this.endpoint.host, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
    const signed = await this.signer.sign({
      method: request.method,
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      ...(this.endpoint.port ? { port: Number(this.endpoint.port) } : {}),
      path,
      query: request.query ?? {},
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const query = new URLSearchParams(request.query ?? {}).toString();
    const url = `${this.endpoint.origin}${path}${query ? `?${query}` : ''}`;
    const { host: _host, ...sendHeaders } = signed.headers as Record<string, string>;
    const res = await fetch(url, { method: request.method, headers: sendHeaders, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : {};
    if (!res.ok) throw errorFrom(res.status, res.headers, json);
    return json;
  }
}
