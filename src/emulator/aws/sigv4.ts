import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AwsError } from './errors.ts';

/**
 * Checks a request's SigV4 signature the way AWS does, written out from the published
 * algorithm rather than with the signing library, so a client that signs wrongly fails
 * here: canonical request → string to sign → key derived from the secret → HMAC.
 */

const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as SigV4 wants it. */
function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface VerifiedSignature {
  accessKeyId: string;
  region: string;
  service: string;
}

export function verifySigV4(
  req: IncomingMessage,
  body: string,
  secretFor: (accessKeyId: string) => string | undefined,
  expectedService: string,
): VerifiedSignature {
  const auth = String(req.headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) throw new AwsError('IncompleteSignatureException', 'Authorization header is not a SigV4 signature', 403);
  const [, accessKeyId, date, region, service, signedHeaders, signature] = m as unknown as string[];
  if (service !== expectedService) {
    throw new AwsError('InvalidSignatureException', `Credential should be scoped to correct service: '${expectedService}'.`, 403);
  }
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date as string)) throw new AwsError('InvalidSignatureException', 'Date in Credential scope does not match x-amz-date', 403);
  const when = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (!Number.isFinite(when) || Math.abs(Date.now() - when) > 15 * 60_000) throw new AwsError('InvalidSignatureException', 'Signature expired', 403);
  const payloadHash = hex(body);
  const declared = req.headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== payloadHash)
    throw new AwsError('InvalidSignatureException', 'The provided x-amz-content-sha256 does not match the payload', 400);
  const secret = secretFor(accessKeyId as string);
  if (!secret) throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403);

  const url = new URL(req.url ?? '/', 'http://fake');
  // Every service but S3 signs the path URI-encoded twice: the path as sent (encoded once), encoded again.
  const path = url.pathname
    .split('/')
    .map((seg) => (service === 's3' ? encode(decodeURIComponent(seg)) : encode(seg)))
    .join('/');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a], [b]) => (a as string).localeCompare(b as string))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = (signedHeaders as string).split(';');
  const headers = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonical = [req.method, path, query, headers, signedHeaders, declared ?? payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date as string), region as string), service as string), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature as string, 'hex'))) {
    throw new AwsError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.', 403);
  }
  return { accessKeyId: accessKeyId as string, region: region as string, service: service as string };
}
