import { AwsError } from './errors.ts';
import { xmlEscape } from './query.ts';

/**
 * EC2 state of a scenario (`ec2.json`), in the SDK's shapes:
 * `{"accounts": {"<account>": {"<region>": {"instances": [{InstanceId, ImageId, InstanceType,
 *   LaunchTime, State: {Name}, SecurityGroups: [{GroupId, GroupName}], Tags: [{Key, Value}],
 *   IamInstanceProfile?: {Arn}, PublicIpAddress?, PrivateIpAddress?}],
 *   "securityGroups": [{GroupId, GroupName, Description?, IpPermissions: [{IpProtocol, FromPort?,
 *   ToPort?, IpRanges?: [{CidrIp}]}]}]}}}}`
 */
export interface Ec2Instance {
  InstanceId: string;
  ImageId?: string;
  InstanceType?: string;
  LaunchTime?: string;
  State?: { Name: string };
  SecurityGroups?: Array<{ GroupId: string; GroupName?: string }>;
  Tags?: Array<{ Key: string; Value: string }>;
  IamInstanceProfile?: { Arn: string };
  PublicIpAddress?: string;
  PrivateIpAddress?: string;
}

export interface Ec2SecurityGroup {
  GroupId: string;
  GroupName?: string;
  Description?: string;
  IpPermissions?: Array<{ IpProtocol: string; FromPort?: number; ToPort?: number; IpRanges?: Array<{ CidrIp: string }> }>;
}

export interface Ec2State {
  accounts: Record<string, Record<string, { instances?: Ec2Instance[]; securityGroups?: Ec2SecurityGroup[] }>>;
}

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };
const el = (name: string, value: unknown) => (value === undefined || value === null ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`);
const items = <T>(list: T[] | undefined, render: (x: T) => string) => (list ?? []).map((x) => `<item>${render(x)}</item>`).join('');

/** `Filter.N.Name` / `Filter.N.Value.M` and `InstanceId.N`, `GroupId.N` as EC2 sends them. */
function filters(params: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of params) {
    const m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (!m) continue;
    const values: string[] = [];
    for (let i = 1; params.has(`Filter.${m[1]}.Value.${i}`); i++) values.push(params.get(`Filter.${m[1]}.Value.${i}`) as string);
    out.set(v, values);
  }
  return out;
}

function listParam(params: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${name}.${i}`); i++) out.push(params.get(`${name}.${i}`) as string);
  return out;
}

function renderInstance(i: Ec2Instance): string {
  const state = i.State?.Name ?? 'running';
  return (
    el('instanceId', i.InstanceId) +
    el('imageId', i.ImageId) +
    `<instanceState><code>${STATE_CODES[state] ?? 16}</code><name>${xmlEscape(state)}</name></instanceState>` +
    el('instanceType', i.InstanceType) +
    el('launchTime', i.LaunchTime) +
    el('ipAddress', i.PublicIpAddress) +
    el('privateIpAddress', i.PrivateIpAddress) +
    `<groupSet>${items(i.SecurityGroups, (g) => el('groupId', g.GroupId) + el('groupName', g.GroupName))}</groupSet>` +
    `<tagSet>${items(i.Tags, (t) => el('key', t.Key) + el('value', t.Value))}</tagSet>` +
    (i.IamInstanceProfile ? `<iamInstanceProfile>${el('arn', i.IamInstanceProfile.Arn)}</iamInstanceProfile>` : '')
  );
}

function renderGroup(g: Ec2SecurityGroup): string {
  return (
    el('groupId', g.GroupId) +
    el('groupName', g.GroupName) +
    el('groupDescription', g.Description ?? '') +
    `<ipPermissions>${items(
      g.IpPermissions,
      (p) => el('ipProtocol', p.IpProtocol) + el('fromPort', p.FromPort) + el('toPort', p.ToPort) + `<ipRanges>${items(p.IpRanges, (r) => el('cidrIp', r.CidrIp))}</ipRanges>`,
    )}</ipPermissions>`
  );
}

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function ec2Action(state: Ec2State, account: string, region: string, action: string, params: URLSearchParams): string {
  const here = state.accounts[account]?.[region] ?? {};
  const requestId = crypto.randomUUID();
  switch (action) {
    case 'DescribeInstances': {
      const wanted = new Set([...listParam(params, 'InstanceId'), ...(filters(params).get('instance-id') ?? [])]);
      const explicit = listParam(params, 'InstanceId');
      const found = (here.instances ?? []).filter((i) => wanted.size === 0 || wanted.has(i.InstanceId));
      const missing = explicit.filter((id) => !found.some((i) => i.InstanceId === id));
      if (missing.length > 0) throw new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`, 400);
      const reservations = found.map((i) => `<item><reservationId>r-${i.InstanceId.slice(2)}</reservationId><ownerId>${account}</ownerId><instancesSet><item>${renderInstance(i)}</item></instancesSet></item>`);
      return `<DescribeInstancesResponse xmlns="${NS}"><requestId>${requestId}</requestId><reservationSet>${reservations.join('')}</reservationSet></DescribeInstancesResponse>`;
    }
    case 'DescribeSecurityGroups': {
      const wanted = new Set([...listParam(params, 'GroupId'), ...(filters(params).get('group-id') ?? [])]);
      const found = (here.securityGroups ?? []).filter((g) => wanted.size === 0 || wanted.has(g.GroupId));
      return `<DescribeSecurityGroupsResponse xmlns="${NS}"><requestId>${requestId}</requestId><securityGroupInfo>${items(found, renderGroup)}</securityGroupInfo></DescribeSecurityGroupsResponse>`;
    }
    default:
      throw new AwsError('InvalidAction', `${action} is not served by the fake EC2`, 400);
  }
}

export function ec2Error(code: string, message: string): string {
  return `<Response><Errors><Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>${crypto.randomUUID()}</RequestID></Response>`;
}
