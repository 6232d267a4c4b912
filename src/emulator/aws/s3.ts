import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsError } from './errors.ts';
import { xmlEscape } from './query.ts';

/**
 * S3 buckets of a scenario (`s3.json`), their Block Public Access settings and bucket
 * policy, served path-style (restXml): GetPublicAccessBlock, PutPublicAccessBlock,
 * DeletePublicAccessBlock (remediations), GetBucketPolicy, GetBucketPolicyStatus and
 * GetBucketLogging (what an investigation reads).
 * `{"accounts": {"<account>": {"buckets": [{Name, Region?, PublicAccessBlockConfiguration?, Policy?, LoggingEnabled?}]}}}`
 */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface S3Bucket {
  Name: string;
  /** Absent: the bucket answers in any region. */
  Region?: string;
  PublicAccessBlockConfiguration?: PublicAccessBlock;
  /** The bucket policy, as a JSON document or its text; absent: the bucket has none. */
  Policy?: string | Record<string, unknown>;
  /** Server access logging, as GetBucketLogging reports it; absent: off. */
  LoggingEnabled?: { TargetBucket: string; TargetPrefix?: string };
}

export interface S3State {
  accounts: Record<string, { buckets?: S3Bucket[] }>;
}

export interface S3Response {
  operation: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

const SERVED = new Set([
  'GetPublicAccessBlock',
  'PutPublicAccessBlock',
  'DeletePublicAccessBlock',
  'GetBucketPolicy',
  'GetBucketPolicyStatus',
  'GetBucketLogging',
]);

/** Which operation a path-style request is: `/{Bucket}?publicAccessBlock`, `?policy`, `?policyStatus`. */
function operationOf(method: string, url: URL): string {
  if (url.searchParams.has('publicAccessBlock')) {
    const verbs: Record<string, string> = { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' };
    if (verbs[method]) return verbs[method];
  }
  if (method === 'GET' && url.searchParams.has('policyStatus')) return 'GetBucketPolicyStatus';
  if (method === 'GET' && url.searchParams.has('policy')) return 'GetBucketPolicy';
  if (method === 'GET' && url.searchParams.has('logging')) return 'GetBucketLogging';
  return `${method} ${url.pathname}`;
}

/**
 * Condition keys that, with a fixed value, keep a statement from being public in S3's
 * sense ("The meaning of public" in the S3 user guide): the caller must then come from a
 * known account, organization, network or resource.
 */
const RESTRICTING_KEYS = [
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  'aws:sourceip',
  'aws:userid',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principalorgid',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
];

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** A fixed value: no wildcard, and an address range narrower than the whole internet. */
function fixed(key: string, value: unknown): boolean {
  return asList(value).every((x) => typeof x === 'string' && !x.includes('*') && !(key === 'aws:sourceip' && /\/0$/.test(x)));
}

/**
 * GetBucketPolicyStatus' IsPublic: some Allow statement grants everyone (`"*"`, or
 * `{"AWS": "*"}`) without a condition that pins the caller down. A grant to another
 * account is not public, and Block Public Access does not stop it.
 */
export function policyIsPublic(policy: S3Bucket['Policy']): boolean {
  let doc: { Statement?: unknown };
  try {
    doc = (typeof policy === 'string' ? JSON.parse(policy) : policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  return asList(doc?.Statement).some((raw) => {
    const st = raw as { Effect?: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
    if (st.Effect !== 'Allow') return false;
    const principal = st.Principal;
    const everyone = principal === '*' || asList((principal as { AWS?: unknown } | undefined)?.AWS).includes('*');
    if (!everyone) return false;
    const pinned = Object.values(st.Condition ?? {}).some((byKey) =>
      Object.entries(byKey ?? {}).some(([key, value]) => RESTRICTING_KEYS.includes(key.toLowerCase()) && fixed(key.toLowerCase(), value)),
    );
    return !pinned;
  });
}

function errorXml(code: string, message: string, extra: Record<string, string>): string {
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>${fields}<RequestId>${crypto.randomUUID()}</RequestId></Error>`;
}

/** S3 refuses a body whose declared digest differs; the SDK sends one for this operation. */
function checkDigest(headers: Record<string, string | string[] | undefined>, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  const declared: Array<[string, string, () => string]> = [
    ['content-md5', 'Content-MD5', () => createHash('md5').update(bytes).digest('base64')],
    ['x-amz-checksum-crc32', 'CRC32', () => Buffer.from((crc32(bytes) >>> 0).toString(16).padStart(8, '0'), 'hex').toString('base64')],
    ['x-amz-checksum-sha1', 'SHA1', () => createHash('sha1').update(bytes).digest('base64')],
    ['x-amz-checksum-sha256', 'SHA256', () => createHash('sha256').update(bytes).digest('base64')],
  ];
  const anyChecksum = Object.keys(headers).some((h) => h === 'content-md5' || h.startsWith('x-amz-checksum-'));
  if (!anyChecksum) throw new AwsError('InvalidRequest', 'Missing required header for this request: Content-MD5', 400);
  for (const [header, name, compute] of declared) {
    const value = headers[header];
    if (typeof value === 'string' && value !== compute()) {
      throw header === 'content-md5'
        ? new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400)
        : new AwsError('BadDigest', `The ${name} you specified did not match the calculated checksum.`, 400);
    }
  }
}

function parseConfiguration(body: string): PublicAccessBlock {
  const malformed = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  const root = /<PublicAccessBlockConfiguration(?:\s[^>]*)?>([\s\S]*)<\/PublicAccessBlockConfiguration>/.exec(body);
  if (!root) throw malformed();
  const config = {} as PublicAccessBlock;
  for (const name of SETTINGS) {
    const m = new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(root[1] as string);
    if (m && m[1] !== 'true' && m[1] !== 'false') throw malformed();
    // An omitted setting is off, as in S3.
    config[name] = m?.[1] === 'true';
  }
  return config;
}

function configurationXml(c: PublicAccessBlock): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<PublicAccessBlockConfiguration xmlns="${NS}">${SETTINGS.map((n) => `<${n}>${c[n]}</${n}>`).join('')}</PublicAccessBlockConfiguration>`;
}

/** Answers one S3 request, errors included, in S3's XML. */
export function s3Handle(
  state: S3State,
  account: string,
  region: string,
  method: string,
  url: URL,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): S3Response {
  const operation = operationOf(method, url);
  const bucketName = decodeURIComponent(url.pathname.split('/')[1] ?? '');
  const base = { 'x-amz-request-id': crypto.randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase() };
  try {
    if (!SERVED.has(operation)) throw new AwsError('NotImplemented', `${operation} is not served by the fake S3`, 501);
    const owner = Object.entries(state.accounts).find(([, a]) => (a.buckets ?? []).some((b) => b.Name === bucketName));
    if (!owner) throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404);
    if (owner[0] !== account) throw new AwsError('AccessDenied', 'Access Denied', 403);
    const bucket = (owner[1].buckets ?? []).find((b) => b.Name === bucketName) as S3Bucket;
    if (bucket.Region && bucket.Region !== region) {
      return {
        operation,
        status: 301,
        headers: { ...base, 'content-type': 'application/xml', 'x-amz-bucket-region': bucket.Region },
        body: errorXml(
          'PermanentRedirect',
          'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
          {
            BucketName: bucketName,
            Endpoint: `s3.${bucket.Region}.amazonaws.com`,
          },
        ),
      };
    }
    if (operation === 'GetBucketLogging') {
      const on = bucket.LoggingEnabled;
      const enabled = on
        ? `<LoggingEnabled><TargetBucket>${xmlEscape(on.TargetBucket)}</TargetBucket><TargetPrefix>${xmlEscape(on.TargetPrefix ?? '')}</TargetPrefix></LoggingEnabled>`
        : '';
      return {
        operation,
        status: 200,
        headers: { ...base, 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<BucketLoggingStatus xmlns="${NS}">${enabled}</BucketLoggingStatus>`,
      };
    }
    if (operation === 'GetBucketPolicy' || operation === 'GetBucketPolicyStatus') {
      if (bucket.Policy === undefined) throw new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
      if (operation === 'GetBucketPolicy') {
        const text = typeof bucket.Policy === 'string' ? bucket.Policy : JSON.stringify(bucket.Policy);
        return { operation, status: 200, headers: { ...base, 'content-type': 'application/json' }, body: text };
      }
      const status = `<?xml version="1.0" encoding="UTF-8"?>\n<PolicyStatus xmlns="${NS}"><IsPublic>${policyIsPublic(bucket.Policy)}</IsPublic></PolicyStatus>`;
      return { operation, status: 200, headers: { ...base, 'content-type': 'application/xml' }, body: status };
    }
    if (method === 'PUT') {
      checkDigest(headers, body);
      bucket.PublicAccessBlockConfiguration = parseConfiguration(body);
      return { operation, status: 200, headers: base, body: '' };
    }
    if (method === 'DELETE') {
      delete bucket.PublicAccessBlockConfiguration;
      return { operation, status: 204, headers: base, body: '' };
    }
    if (!bucket.PublicAccessBlockConfiguration) {
      throw new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404);
    }
    return { operation, status: 200, headers: { ...base, 'content-type': 'application/xml' }, body: configurationXml(bucket.PublicAccessBlockConfiguration) };
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return {
      operation,
      status: err.status,
      headers: { ...base, 'content-type': 'application/xml' },
      body: errorXml(err.code, err.message, bucketName ? { BucketName: bucketName } : {}),
    };
  }
}
