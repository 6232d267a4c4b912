import type { Finding } from '../finding.ts';
import { playbookFor } from '../investigation/playbooks.ts';
import { subjectsOf } from '../investigation/subjects.ts';
import type { TimelineEntry } from '../investigation/timeline.ts';

/**
 * Asking the person behind the credentials ("Was this you?"), as Dropbox's securitybot
 * and AWS Security IR's investigative agent do: for a finding about credentials (an
 * access key used from somewhere odd, root or console activity), whose IAM principal
 * sirbot can tie to a person, that person is asked in a direct message what they did.
 */

export const PRINCIPAL_ANSWERS = ['yes', 'no', 'unsure'] as const;
export type PrincipalAnswer = (typeof PRINCIPAL_ANSWERS)[number];

/** Whose credentials acted: an IAM user, a role session (IAM Identity Center names it after the person), or root. */
export interface Principal {
  account: string;
  kind: 'iamUser' | 'roleSession' | 'root';
  /** The user name, the session name, or `root`. */
  name: string;
  /** Role sessions: the role. */
  role?: string;
}

/** What was seen, in the words the direct message uses; each part only when the finding says. */
export interface SeenActivity {
  action: string | null;
  service: string | null;
  at: string | null;
  sourceIp: string | null;
  location: string | null;
  userAgent: string | null;
}

/** Playbooks whose findings are about a person's credentials (an instance role's are nobody's). */
const ABOUT_CREDENTIALS = new Set(['credential-exposure', 'root-credential-use', 'defense-evasion']);

/** The principal whose person is asked, or null when the finding is not about a person's credentials. */
export function principalToAsk(finding: Finding): Principal | null {
  const about = ABOUT_CREDENTIALS.has(playbookFor(finding).id) || finding.types.some((t) => /ConsoleLogin/i.test(t));
  if (!about) return null;
  const subjects = subjectsOf(finding);
  const account = finding.accountId;
  if (subjects.some((s) => s.kind === 'root')) return { account, kind: 'root', name: 'root' };
  const user = subjects.find((s) => s.kind === 'iamUser');
  if (user) return { account: user.accountId ?? account, kind: 'iamUser', name: user.id };
  const session = subjects.find((s) => s.kind === 'role' && s.sessionName);
  if (session?.sessionName) return { account: session.accountId ?? account, kind: 'roleSession', name: session.sessionName, role: session.id };
  return null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const place = (city: unknown, country: unknown): string | null => {
  const parts = [str(obj(city)?.cityName ?? obj(city)?.CityName ?? city), str(obj(country)?.countryName ?? obj(country)?.CountryName ?? country)].filter(
    Boolean,
  );
  return parts.length > 0 ? parts.join(', ') : null;
};

/** What the finding says was done, from GuardDuty's `service.action`, ASFF's `Action` or OCSF's `api` and `src_endpoint`. */
export function seenActivity(finding: Finding): SeenActivity {
  const raw = obj(finding.raw) ?? {};
  const gd = obj(obj(obj(raw.service)?.action)?.awsApiCallAction);
  if (gd) {
    const ip = obj(gd.remoteIpDetails);
    const agent = gd.userAgent;
    return {
      action: str(gd.api),
      service: str(gd.serviceName),
      at: str(obj(raw.service)?.eventLastSeen) ?? finding.lastSeenAt,
      sourceIp: str(ip?.ipAddressV4) ?? str(ip?.ipAddressV6),
      location: place(ip?.city, ip?.country),
      userAgent: str(obj(agent)?.fullUserAgent) ?? str(agent),
    };
  }
  const asff = obj(obj(raw.Action)?.AwsApiCallAction);
  if (asff) {
    const ip = obj(asff.RemoteIpDetails);
    return {
      action: str(asff.Api),
      service: str(asff.ServiceName),
      at: str(asff.LastSeen) ?? finding.lastSeenAt,
      sourceIp: str(ip?.IpAddressV4),
      location: place(ip?.City, ip?.Country),
      userAgent: null,
    };
  }
  const api = obj(raw.api);
  const src = obj(raw.src_endpoint);
  return {
    action: str(api?.operation),
    service: str(obj(api?.service)?.name),
    at: finding.lastSeenAt,
    sourceIp: str(src?.ip),
    location: place(obj(src?.location)?.city, obj(src?.location)?.country),
    userAgent: str(obj(raw.http_request)?.user_agent),
  };
}

/** A person as an IAM principal's tags name them: an email, and/or a Slack user id. */
export interface TaggedPerson {
  email?: string;
  slackUserId?: string;
}

const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,255}\.[A-Za-z]{2,}$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const EMAIL_KEYS = new Set(['email', 'mail', 'owner-email', 'owner_email', 'contact']);
const SLACK_KEYS = new Set(['slack', 'slack-user', 'slack_user', 'slack-id', 'slack_id', 'slackuserid']);

/** The person an IAM principal's tags name (keys without case); values that are not an email or a Slack user id are ignored. */
export function personFromTags(tags: Readonly<Record<string, string>>): TaggedPerson | null {
  const out: TaggedPerson = {};
  for (const [key, value] of Object.entries(tags)) {
    const k = key.toLowerCase();
    const v = value.trim();
    if (!out.email && EMAIL_KEYS.has(k) && EMAIL.test(v)) out.email = v;
    if (!out.slackUserId && SLACK_KEYS.has(k) && SLACK_USER.test(v)) out.slackUserId = v;
  }
  return out.email || out.slackUserId ? out : null;
}

/** IAM Identity Center names a permission set's session after the user, often their email. */
export function emailOfSession(sessionName: string): string | null {
  return EMAIL.test(sessionName) ? sessionName : null;
}

/** The people file's entries: a principal as `principalKey` names it (or a bare user name), and the person. */
export type PeopleMapping = ReadonlyArray<{ principal: string; slackUserId?: string; email?: string }>;

/** How the people file names a principal: `<account>:user/<name>`, `<account>:root`, `<account>:session/<name>`. */
export function principalKey(p: Principal): string {
  if (p.kind === 'root') return `${p.account}:root`;
  return `${p.account}:${p.kind === 'iamUser' ? 'user' : 'session'}/${p.name}`;
}

/** The people file's person for a principal: its exact key first, then its user or session name alone. */
export function mappedPerson(mapping: PeopleMapping, p: Principal): TaggedPerson | null {
  const key = principalKey(p).toLowerCase();
  const entry = mapping.find((m) => m.principal.toLowerCase() === key) ?? (p.kind === 'root' ? undefined : mapping.find((m) => m.principal === p.name));
  if (!entry) return null;
  return { ...(entry.slackUserId ? { slackUserId: entry.slackUserId } : {}), ...(entry.email ? { email: entry.email } : {}) };
}

const ANSWER_WORDS: Record<PrincipalAnswer, string> = { yes: 'yes, it was them', no: 'no, it was not them', unsure: 'they do not know' };

/**
 * The person's answer (or their silence) as an entry of the investigation's timeline,
 * beside what CloudTrail and the findings say: who was asked about which principal, and when.
 */
export function principalAnswerEntry(e: { checkId: string; principal: Principal; person: string; answer: PrincipalAnswer | null; at: string }): TimelineEntry {
  const said = e.answer ? `answered “Was this you?”: ${ANSWER_WORDS[e.answer]}` : 'did not answer “Was this you?” in time';
  return {
    id: `answer:${e.checkId}`,
    time: e.at,
    source: 'answer',
    action: 'Was this you?',
    service: null,
    actor: e.person,
    actorType: 'Person',
    accessKeyId: null,
    sourceIp: null,
    userAgent: null,
    resources: [e.principal.kind === 'root' ? `root of ${e.principal.account}` : e.principal.name],
    errorCode: null,
    accountId: e.principal.account,
    region: null,
    tactics: [],
    highlights: [`the person behind the credentials ${said}`],
  };
}
