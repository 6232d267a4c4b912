import { AwsError } from './errors.ts';
import { xmlEscape } from './query.ts';

/**
 * EC2 state of a scenario (`ec2.json`), in the SDK's shapes:
 * `{"accounts": {"<account>": {"<region>": {"instances": [{InstanceId, ImageId, InstanceType,
 *   LaunchTime, State: {Name}, VpcId?, SecurityGroups: [{GroupId, GroupName}], Tags: [{Key, Value}],
 *   IamInstanceProfile?: {Arn, Id?}, PublicIpAddress?, PrivateIpAddress?, RootDeviceName?,
 *   BlockDeviceMappings?: [{DeviceName, Ebs: {VolumeId, AttachTime?, DeleteOnTermination?}}],
 *   MetadataOptions?: {HttpTokens, HttpPutResponseHopLimit?, HttpEndpoint?, State?}}],
 *   "securityGroups": [{GroupId, GroupName, Description?, VpcId?, IpPermissions: [{IpProtocol, FromPort?,
 *   ToPort?, IpRanges?: [{CidrIp}]}], IpPermissionsEgress?}], "snapshots": [...]}}}}`
 * Volumes are those the instances' block device mappings name. An instance without
 * `MetadataOptions` allows IMDSv1 (HttpTokens `optional`, hop limit 1), as EC2 launches
 * from AMIs not marked for IMDSv2 when the account sets no default.
 */
export interface Ec2Instance {
  InstanceId: string;
  ImageId?: string;
  InstanceType?: string;
  LaunchTime?: string;
  State?: { Name: string };
  VpcId?: string;
  SecurityGroups?: Array<{ GroupId: string; GroupName?: string }>;
  Tags?: Ec2Tag[];
  IamInstanceProfile?: { Arn: string; Id?: string };
  PublicIpAddress?: string;
  PrivateIpAddress?: string;
  RootDeviceName?: string;
  BlockDeviceMappings?: Array<{ DeviceName: string; Ebs: { VolumeId: string; AttachTime?: string; DeleteOnTermination?: boolean; Status?: string } }>;
  MetadataOptions?: Ec2MetadataOptions;
}

/** DescribeInstances' `MetadataOptions` (ModifyInstanceMetadataOptions answers the same shape). */
export interface Ec2MetadataOptions {
  /** `pending` while a change is being applied (on a stopped instance, until it starts). */
  State?: 'pending' | 'applied';
  HttpTokens: 'optional' | 'required';
  HttpPutResponseHopLimit?: number;
  HttpEndpoint?: 'enabled' | 'disabled';
  HttpProtocolIpv6?: 'enabled' | 'disabled';
  InstanceMetadataTags?: 'enabled' | 'disabled';
}

/** An instance's metadata options with what EC2 reports for those not set. */
export function metadataOptionsOf(i: Ec2Instance): Required<Ec2MetadataOptions> {
  return {
    State: 'applied',
    HttpPutResponseHopLimit: 1,
    HttpEndpoint: 'enabled',
    HttpProtocolIpv6: 'disabled',
    InstanceMetadataTags: 'disabled',
    ...(i.MetadataOptions ?? { HttpTokens: 'optional' }),
  };
}

export function renderMetadataOptions(o: Required<Ec2MetadataOptions>): string {
  return (
    el('state', o.State) +
    el('httpTokens', o.HttpTokens) +
    el('httpPutResponseHopLimit', o.HttpPutResponseHopLimit) +
    el('httpEndpoint', o.HttpEndpoint) +
    el('httpProtocolIpv6', o.HttpProtocolIpv6) +
    el('instanceMetadataTags', o.InstanceMetadataTags)
  );
}

export interface Ec2Tag {
  Key: string;
  Value: string;
}

export interface Ec2IpPermission {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp: string }>;
}

export interface Ec2SecurityGroup {
  GroupId: string;
  GroupName?: string;
  Description?: string;
  VpcId?: string;
  IpPermissions?: Ec2IpPermission[];
  IpPermissionsEgress?: Ec2IpPermission[];
  Tags?: Ec2Tag[];
}

/** Snapshots the fake took (CreateSnapshots), in DescribeSnapshots' shape. */
export interface Ec2Snapshot {
  SnapshotId: string;
  VolumeId: string;
  State: 'pending' | 'completed' | 'error';
  StartTime: string;
  OwnerId: string;
  Description?: string;
  Progress?: string;
  Tags?: Ec2Tag[];
}

export interface Ec2Region {
  instances?: Ec2Instance[];
  securityGroups?: Ec2SecurityGroup[];
  snapshots?: Ec2Snapshot[];
}

export interface Ec2State {
  accounts: Record<string, Record<string, Ec2Region>>;
}

export const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };
export const el = (name: string, value: unknown) => (value === undefined || value === null ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`);
export const items = <T>(list: T[] | undefined, render: (x: T) => string) => (list ?? []).map((x) => `<item>${render(x)}</item>`).join('');
export const tagSet = (tags: Ec2Tag[] | undefined) => `<tagSet>${items(tags, (t) => el('key', t.Key) + el('value', t.Value))}</tagSet>`;

export function ec2Response(action: string, body: string): string {
  return `<${action}Response xmlns="${EC2_NS}"><requestId>${crypto.randomUUID()}</requestId>${body}</${action}Response>`;
}

/** `Filter.N.Name` / `Filter.N.Value.M` as EC2 sends them; a filter the fake cannot apply is refused, not ignored. */
function filters(params: URLSearchParams, supported: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of params) {
    const m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (!m) continue;
    if (!supported.includes(v))
      throw new AwsError('InvalidParameterValue', `The filter '${v}' is invalid (the fake EC2 supports ${supported.join(', ')})`, 400);
    out.set(v, listParam(params, `Filter.${m[1]}.Value`));
  }
  return out;
}

/** `Name.1`, `Name.2`… as EC2 serializes a list. */
export function listParam(params: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${name}.${i}`); i++) out.push(params.get(`${name}.${i}`) as string);
  return out;
}

/** A filter or explicit list narrows; none given keeps everything. */
const passes = (wanted: string[] | undefined, value: string | undefined) => wanted === undefined || (value !== undefined && wanted.includes(value));

function renderInstance(i: Ec2Instance): string {
  const state = i.State?.Name ?? 'running';
  return (
    el('instanceId', i.InstanceId) +
    el('imageId', i.ImageId) +
    `<instanceState><code>${STATE_CODES[state] ?? 16}</code><name>${xmlEscape(state)}</name></instanceState>` +
    el('instanceType', i.InstanceType) +
    el('launchTime', i.LaunchTime) +
    el('vpcId', i.VpcId) +
    el('ipAddress', i.PublicIpAddress) +
    el('privateIpAddress', i.PrivateIpAddress) +
    `<groupSet>${items(i.SecurityGroups, (g) => el('groupId', g.GroupId) + el('groupName', g.GroupName))}</groupSet>` +
    tagSet(i.Tags) +
    (i.IamInstanceProfile ? `<iamInstanceProfile>${el('arn', i.IamInstanceProfile.Arn)}${el('id', i.IamInstanceProfile.Id)}</iamInstanceProfile>` : '') +
    el('rootDeviceName', i.RootDeviceName ?? i.BlockDeviceMappings?.[0]?.DeviceName) +
    (i.BlockDeviceMappings ? '<rootDeviceType>ebs</rootDeviceType>' : '') +
    `<blockDeviceMapping>${items(
      i.BlockDeviceMappings,
      (b) =>
        el('deviceName', b.DeviceName) +
        `<ebs>${el('volumeId', b.Ebs.VolumeId)}${el('status', b.Ebs.Status ?? 'attached')}${el('attachTime', b.Ebs.AttachTime ?? i.LaunchTime)}${el('deleteOnTermination', b.Ebs.DeleteOnTermination ?? true)}</ebs>`,
    )}</blockDeviceMapping>` +
    `<metadataOptions>${renderMetadataOptions(metadataOptionsOf(i))}</metadataOptions>`
  );
}

const renderPermissions = (list: Ec2IpPermission[] | undefined) =>
  items(
    list,
    (p) =>
      el('ipProtocol', p.IpProtocol) +
      el('fromPort', p.FromPort) +
      el('toPort', p.ToPort) +
      `<ipRanges>${items(p.IpRanges, (r) => el('cidrIp', r.CidrIp))}</ipRanges>`,
  );

function renderGroup(g: Ec2SecurityGroup, account: string): string {
  return (
    el('ownerId', account) +
    el('groupId', g.GroupId) +
    el('groupName', g.GroupName) +
    el('groupDescription', g.Description ?? '') +
    el('vpcId', g.VpcId) +
    `<ipPermissions>${renderPermissions(g.IpPermissions)}</ipPermissions>` +
    `<ipPermissionsEgress>${renderPermissions(g.IpPermissionsEgress)}</ipPermissionsEgress>` +
    tagSet(g.Tags)
  );
}

/** Volumes attached to the region's instances, as DescribeVolumes reports them. */
export function volumesOf(
  here: Ec2Region,
): Array<{ instance: Ec2Instance; device: string; volumeId: string; attachTime?: string; deleteOnTermination: boolean }> {
  return (here.instances ?? []).flatMap((instance) =>
    (instance.BlockDeviceMappings ?? []).map((b) => ({
      instance,
      device: b.DeviceName,
      volumeId: b.Ebs.VolumeId,
      attachTime: b.Ebs.AttachTime ?? instance.LaunchTime,
      deleteOnTermination: b.Ebs.DeleteOnTermination ?? true,
    })),
  );
}

/** A required parameter, in EC2's words when it is missing. */
export function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);
  return value;
}

export function instanceIn(here: Ec2Region, id: string) {
  const instance = (here.instances ?? []).find((i) => i.InstanceId === id);
  if (!instance) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`, 400);
  return instance;
}

export function groupNotFound(id: string): AwsError {
  return new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 400);
}

export function ec2Action(state: Ec2State, account: string, region: string, action: string, params: URLSearchParams): string {
  const here = state.accounts[account]?.[region] ?? {};
  switch (action) {
    case 'DescribeInstances': {
      const explicit = listParam(params, 'InstanceId');
      const byFilter = filters(params, ['instance-id', 'vpc-id']);
      const found = (here.instances ?? []).filter(
        (i) =>
          passes(explicit.length ? explicit : undefined, i.InstanceId) &&
          passes(byFilter.get('instance-id'), i.InstanceId) &&
          passes(byFilter.get('vpc-id'), i.VpcId),
      );
      const missing = explicit.filter((id) => !(here.instances ?? []).some((i) => i.InstanceId === id));
      if (missing.length > 0) throw new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`, 400);
      const reservations = found.map(
        (i) =>
          `<item><reservationId>r-${i.InstanceId.slice(2)}</reservationId><ownerId>${account}</ownerId><instancesSet><item>${renderInstance(i)}</item></instancesSet></item>`,
      );
      return ec2Response(action, `<reservationSet>${reservations.join('')}</reservationSet>`);
    }
    case 'DescribeSecurityGroups': {
      const ids = listParam(params, 'GroupId');
      const names = listParam(params, 'GroupName');
      const byFilter = filters(params, ['group-id', 'group-name', 'vpc-id']);
      const all = here.securityGroups ?? [];
      const missing = [...ids.filter((id) => !all.some((g) => g.GroupId === id)), ...names.filter((n) => !all.some((g) => g.GroupName === n))];
      if (missing.length > 0) throw groupNotFound(missing[0] as string);
      const found = all.filter(
        (g) =>
          passes(ids.length ? ids : undefined, g.GroupId) &&
          passes(names.length ? names : undefined, g.GroupName) &&
          passes(byFilter.get('group-id'), g.GroupId) &&
          passes(byFilter.get('group-name'), g.GroupName) &&
          passes(byFilter.get('vpc-id'), g.VpcId),
      );
      return ec2Response(action, `<securityGroupInfo>${items(found, (g) => renderGroup(g, account))}</securityGroupInfo>`);
    }
    case 'DescribeVolumes': {
      const ids = listParam(params, 'VolumeId');
      const byFilter = filters(params, ['attachment.instance-id', 'volume-id']);
      const all = volumesOf(here);
      const missing = ids.filter((id) => !all.some((v) => v.volumeId === id));
      if (missing.length > 0) throw new AwsError('InvalidVolume.NotFound', `The volume '${missing[0]}' does not exist.`, 400);
      const found = all.filter(
        (v) =>
          passes(ids.length ? ids : undefined, v.volumeId) &&
          passes(byFilter.get('volume-id'), v.volumeId) &&
          passes(byFilter.get('attachment.instance-id'), v.instance.InstanceId),
      );
      const render = (v: (typeof found)[number]) =>
        el('volumeId', v.volumeId) +
        el('status', 'in-use') +
        el('createTime', v.attachTime) +
        `<attachmentSet><item>${el('volumeId', v.volumeId)}${el('instanceId', v.instance.InstanceId)}${el('device', v.device)}${el('status', 'attached')}${el('attachTime', v.attachTime)}${el('deleteOnTermination', v.deleteOnTermination)}</item></attachmentSet>`;
      return ec2Response(action, `<volumeSet>${items(found, render)}</volumeSet>`);
    }
    default:
      throw new AwsError('InvalidAction', `${action} is not served by the fake EC2`, 400);
  }
}

export function ec2Error(code: string, message: string): string {
  return `<Response><Errors><Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>${crypto.randomUUID()}</RequestID></Response>`;
}
