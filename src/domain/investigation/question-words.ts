import { ACCESS_KEY_ID, INSTANCE_ID, isIp, parseArn } from './identifiers.ts';
import { slackPlainText } from './slack-plain-text.ts';
import type { SubjectKind } from './subjects.ts';

/**
 * The words of follow-up questions (domain/investigation/follow-up-questions.ts): what
 * asks for a write, names a service, a call, a region or a subject, and whether a thread
 * message is a question for sirbot at all. Pure.
 */

/** A question longer than this is not read. */
export const MAX_QUESTION = 500;

/** Verbs that change AWS: a question starting with one (after "please", "can you"…) asks for a write. */
export const WRITE_VERB =
  /^(?:(?:hey|ok|okay|so|now|then)[\s,]+)*(?:(?:please|pls|kindly|can you|could you|would you|will you|go ahead and|just|let'?s|you should|sirbot)[\s,]+)*(?:delete|remove|disable|deactivate|revoke|rotate|stop|terminate|detach|attach|block|quarantine|isolate|create|put|update|modify|enable|kill|shut\s*down|reset|tag|untag|lock|suspend|purge|empty|reboot|restart|change|grant|deny|allow|apply|fix|remediate|contain|invalidate)\b/i;

/** Services named in words, and the event source CloudTrail records them with. */
export const SERVICES: Record<string, string> = {
  s3: 's3.amazonaws.com',
  iam: 'iam.amazonaws.com',
  ec2: 'ec2.amazonaws.com',
  sts: 'sts.amazonaws.com',
  kms: 'kms.amazonaws.com',
  lambda: 'lambda.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
  guardduty: 'guardduty.amazonaws.com',
  ssm: 'ssm.amazonaws.com',
  'secrets manager': 'secretsmanager.amazonaws.com',
  secretsmanager: 'secretsmanager.amazonaws.com',
  rds: 'rds.amazonaws.com',
  dynamodb: 'dynamodb.amazonaws.com',
  organizations: 'organizations.amazonaws.com',
  cloudformation: 'cloudformation.amazonaws.com',
  ecr: 'ecr.amazonaws.com',
  eks: 'eks.amazonaws.com',
  ecs: 'ecs.amazonaws.com',
  sns: 'sns.amazonaws.com',
  sqs: 'sqs.amazonaws.com',
  'security hub': 'securityhub.amazonaws.com',
  securityhub: 'securityhub.amazonaws.com',
  console: 'signin.amazonaws.com',
  signin: 'signin.amazonaws.com',
};
const SERVICE_WORDS = Object.keys(SERVICES)
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(' ', String.raw`\s+`))
  .join('|');
export const SERVICE_USE = new RegExp(
  String.raw`\b(${SERVICE_WORDS})\s+(?:activity|calls?|events?|api\s+calls?|actions?|access|requests?|usage|logins?|sign-?ins?|objects?|object(?:[- ]level)?\s+access|data\s+events?)\b`,
  'gi',
);
/** An API name as CloudTrail records it: `DeleteBucket`, `RunInstances`. */
export const API_NAME = String.raw`[A-Z][a-z]+[A-Za-z0-9]*`;
export const CALLS_TO = new RegExp(
  String.raw`\b(?:calls?\s+to|calls?|called|calling|ran|run|invoked|invoke|did|use|used)\s+(${API_NAME}(?:\s*(?:,|or|and|\/)\s*${API_NAME})*)`,
  'g',
);
/** Everyday words for a few calls responders ask about most ("who created users?"). */
export const CALL_PHRASES: Array<[RegExp, string[]]> = [
  [/\b(?:created?|creating|new)\s+(?:iam\s+)?users?\b/i, ['CreateUser']],
  [/\b(?:created?|creating|new)\s+(?:access\s+)?keys?\b/i, ['CreateAccessKey']],
  [/\b(?:launch(?:ed|ing)?|new)\s+(?:ec2\s+)?instances?\b/i, ['RunInstances']],
  [/\b(?:attached|attaching)\s+(?:a\s+|the\s+|any\s+)?polic(?:y|ies)\b/i, ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy']],
  [/\bstopped\s+(?:cloudtrail\s+)?logging\b|\bdeleted?\s+(?:the\s+|a\s+)?trails?\b/i, ['StopLogging', 'DeleteTrail']],
];
/** Object-level access CloudTrail records only as data events. */
export const DATA_EVENT_API = /^(?:GetObject|PutObject|DeleteObject|DeleteObjects|CopyObject|HeadObject|GetObjectAcl|PutObjectAcl|Invoke|GetSecretValue)$/;
export const DATA_WORDS = /\b(?:data events?|object[- ]level|object access|objects? (?:read|downloaded|uploaded)|downloads?|downloaded)\b/i;

export const REGION = /\bin\s+((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d)\b/gi;
export const EVERY_REGION = /\b(?:in\s+)?(?:all|every|any|each|other)\s+regions?\b/i;

/** Words that point at the investigation's own subjects: "this key", "that instance", "the role". */
export const THIS_SUBJECT =
  /\b(?:this|that|these|those|the|same|our)\s+(access\s+keys?|keys?|credentials?|creds|roles?|users?|instances?|hosts?|machines?|servers?|vms?|buckets?|ips?|ip\s+address(?:es)?|address(?:es)?|principals?)\b/gi;
export const KIND_OF_WORD: Array<[RegExp, SubjectKind]> = [
  [/^(?:access\s+keys?|keys?|credentials?|creds)$/i, 'accessKey'],
  [/^roles?$/i, 'role'],
  [/^(?:users?|principals?)$/i, 'iamUser'],
  [/^(?:instances?|hosts?|machines?|servers?|vms?)$/i, 'instance'],
  [/^buckets?$/i, 'bucket'],
  [/^(?:ips?|ip\s+address(?:es)?|address(?:es)?)$/i, 'ip'],
];
export const KIND_WORDS: Partial<Record<SubjectKind, string>> = {
  accessKey: 'access key',
  role: 'role',
  iamUser: 'user',
  instance: 'instance',
  bucket: 'bucket',
  ip: 'IP address',
};
export const NAMED = /\b(user|role|bucket|instance)\s+[`'"]?([\w+=,.@-]{2,64})[`'"]?/gi;
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Words "user X" / "bucket X" cannot name. */
export const NOT_A_NAME = new Set(
  'is was are were the a an that this these those it its has had have with and or of for in on at to from by as which who what else did do does doing done activity used use between after before since during today yesterday recently last past over make made call called access accessed see saw'.split(
    ' ',
  ),
);

/** Slack's markup as plain words on one line: links as their labels, mentions and channels dropped (slack-plain-text.ts). */
export function questionWords(text: string): string {
  return slackPlainText(text, { max: MAX_QUESTION * 2, mention: ' ', channels: 'drop', newlines: 'space', backticks: 'drop' })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Asks rather than tells: a question word first, a question mark last, or a request to show or find. */
export function questionShaped(text: string): boolean {
  const t = questionWords(text);
  return (
    /\?\s*$/.test(t) ||
    /^(?:what|who|whom|whose|which|when|where|how|why|did|does|do|has|have|is|are|was|were|any|anything|anyone|anybody|show|list|find|search|look\s+up|lookup|get|give|tell)\b/i.test(
      t,
    )
  );
}

/** Names something evidence can be searched by: an identifier, "this key", a service's activity, calls to an API. */
export function namesEvidence(text: string): boolean {
  const t = questionWords(text);
  if (new RegExp(THIS_SUBJECT.source, 'i').test(t) || new RegExp(SERVICE_USE.source, 'i').test(t) || new RegExp(CALLS_TO.source).test(t)) return true;
  if (/\bwho\s+else\b/i.test(t)) return true;
  return t.split(/[\s,;()]+/).some((w) => {
    const token = w.replace(/[.?!:]+$/, '');
    return ACCESS_KEY_ID.test(token) || INSTANCE_ID.test(token) || isIp(token) || parseArn(token) !== null;
  });
}

/**
 * Whether a thread message is a question for sirbot rather than an answer or chat: one
 * that mentions the bot is (while sirbot's own questions are open, if it is shaped as a
 * question or a request); while they are open, nothing else is (so answers read as
 * before); after that, a message shaped as a question that names something to search.
 */
export function isQuestionForSirbot(text: string, o: { mentionsBot: boolean; questionsOpen: boolean }): boolean {
  // "@sirbot it leaked yesterday" while its questions are open is an answer addressed to it; "@sirbot delete this key" is refused as a question.
  if (o.mentionsBot) return !o.questionsOpen || questionShaped(text) || WRITE_VERB.test(questionWords(text));
  if (o.questionsOpen) return false;
  return questionShaped(text) && namesEvidence(text);
}
