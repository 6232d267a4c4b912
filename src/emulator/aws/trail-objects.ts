import { AwsError } from './errors.ts';
import { xmlEscape } from './query.ts';
import type { TrailObject } from './trail-archive.ts';

/**
 * The trail bucket's objects, path-style: ListObjectsV2 (`GET /{Bucket}?list-type=2`: at
 * most 1,000 keys a page whatever MaxKeys asks, `prefix`, `start-after`, opaque
 * continuation tokens) and GetObject (`GET /{Bucket}/{Key}`). Errors in S3's XML.
 */
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface TrailBucketResponse {
  operation: 'ListObjectsV2' | 'GetObject';
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const token = (key: string) => Buffer.from(`sirbot-fake:${key}`).toString('base64');
function afterToken(t: string): string {
  const text = Buffer.from(t, 'base64').toString('utf8');
  if (!text.startsWith('sirbot-fake:')) throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400);
  return text.slice('sirbot-fake:'.length);
}

/** Which operation a request to the trail bucket is. */
export function trailOperation(method: string, url: URL): 'ListObjectsV2' | 'GetObject' | null {
  if (method !== 'GET') return null;
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts.length === 1 && url.searchParams.get('list-type') === '2') return 'ListObjectsV2';
  if (parts.length > 1) return 'GetObject';
  return null;
}

/** First index whose key is greater than `key` (or, `orEqual`, not less): keys are sorted. */
function firstAfter(objects: TrailObject[], key: string, orEqual = false): number {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const k = (objects[mid] as TrailObject).key;
    if (k < key || (!orEqual && k === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function listObjectsV2(bucket: string, objects: TrailObject[], url: URL): TrailBucketResponse {
  const q = url.searchParams;
  const prefix = q.get('prefix') ?? '';
  const maxKeysText = q.get('max-keys');
  const maxKeys = maxKeysText === null ? 1000 : Number(maxKeysText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new AwsError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400);
  const continuation = q.get('continuation-token');
  const after = continuation !== null ? afterToken(continuation) : (q.get('start-after') ?? '');
  const from = Math.max(firstAfter(objects, after), firstAfter(objects, prefix, true));
  const page: TrailObject[] = [];
  let i = from;
  for (; i < objects.length && page.length < Math.min(maxKeys, 1000); i++) {
    const o = objects[i] as TrailObject;
    if (!o.key.startsWith(prefix)) break;
    page.push(o);
  }
  const more = i < objects.length && (objects[i] as TrailObject).key.startsWith(prefix);
  const contents = page
    .map(
      (o) =>
        `<Contents><Key>${xmlEscape(o.key)}</Key><LastModified>${o.lastModified}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const last = page.at(-1);
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NS}"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix>` +
    `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${more && !!last}</IsTruncated>` +
    (continuation !== null ? `<ContinuationToken>${xmlEscape(continuation)}</ContinuationToken>` : '') +
    (more && last ? `<NextContinuationToken>${xmlEscape(token(last.key))}</NextContinuationToken>` : '') +
    `${contents}</ListBucketResult>`;
  return { operation: 'ListObjectsV2', status: 200, headers: { 'content-type': 'application/xml' }, body };
}

export function getObject(byKey: Map<string, TrailObject>, url: URL): TrailBucketResponse {
  const key = decodeURIComponent(url.pathname.split('/').slice(2).join('/'));
  const o = byKey.get(key);
  if (!o) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
  return {
    operation: 'GetObject',
    status: 200,
    headers: {
      'content-type': 'application/octet-stream',
      etag: o.etag,
      'last-modified': new Date(o.lastModified).toUTCString(),
      'content-length': String(o.body.length),
    },
    body: o.body,
  };
}
