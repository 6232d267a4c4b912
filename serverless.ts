/**
 * Deployment for the open-source Serverless Framework CLI (`osls`, v3-compatible).
 * `npm run package` bundles each function with esbuild (src/build/bundle.ts) and
 * packages it offline; `npx osls deploy --stage prod --param slackSecretId=…` deploys.
 *
 * Slack credentials live in one Secrets Manager secret, JSON {"signingSecret","botToken"},
 * created outside this stack; functions read it at cold start. Nothing secret is in
 * this template or its environment.
 *
 * Each function has its own role listing only what it calls. The worker reaches AWS
 * (evidence, remediations, status changes), in sirbot's own account too, by assuming
 * the member role (deploy/member-role.yml) — its own role can read nothing else. The
 * only action on every resource is `security-ir:ListCases`, a List action for which the
 * Service Authorization Reference defines no resource type (test/support/least-privilege.ts).
 *
 * Ingest is invoked asynchronously (EventBridge, SNS): an event it fails on twice, or that
 * waited six hours, goes to `IngestFailedQueue` (Lambda on-failure destination), and so
 * does a message SNS could not deliver (subscription redrive policy); an event
 * EventBridge could not deliver goes to `IngestUndeliveredQueue`. Each queue has an alarm.
 */

const SECURITY_HUB_DETAIL_TYPES = ['Security Hub Findings - Imported', 'Security Hub Findings - Custom Action', 'Findings Imported V2'] as const;

/** Security IR's case events (its user guide's detail-types): the case thread follows the case. Membership events are not asked for. */
const SECURITY_IR_CASE_DETAIL_TYPES = ['Case Created', 'Case Updated', 'Case Closed', 'Case Comment Added', 'Case Comment Updated'] as const;

const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/**
 * Findings below this severity never reach sirbot: the EventBridge rules filter them
 * (`SIRBOT_SEVERITY_FLOOR=MEDIUM npx osls deploy …`). Rules can still suppress more.
 */
const floor = (process.env.SIRBOT_SEVERITY_FLOOR ?? 'INFORMATIONAL').toUpperCase();
if (!(SEVERITIES as readonly string[]).includes(floor)) throw new Error(`SIRBOT_SEVERITY_FLOOR must be one of ${SEVERITIES.join(', ')}`);
const atOrAbove = SEVERITIES.slice(SEVERITIES.indexOf(floor as (typeof SEVERITIES)[number]));
/** OCSF severity ids: 1 Informational … 5 Critical, 6 Fatal. */
const ocsfAtOrAbove = [...atOrAbove.map((s) => SEVERITIES.indexOf(s) + 1), 6];
/**
 * A Bedrock model for follow-up questions the grammar cannot read
 * (`SIRBOT_BEDROCK_MODEL_ID=amazon.nova-micro-v1:0 npx osls deploy …`): the worker may
 * invoke that model only (Converse is authorized as bedrock:InvokeModel), with its own role.
 * A cross-region inference profile (`us.…`) is invoked through the profile, on the model
 * in whichever region the profile routes to.
 */
const bedrockModel = process.env.SIRBOT_BEDROCK_MODEL_ID;
if (bedrockModel !== undefined && !/^[\w.:-]{3,200}$/.test(bedrockModel))
  throw new Error('SIRBOT_BEDROCK_MODEL_ID must be a Bedrock model or inference profile id');
const bedrockProfile = bedrockModel ? /^(?:us|eu|apac|us-gov)\.(.+)$/.exec(bedrockModel) : null;
const invokeModel = bedrockModel
  ? [
      {
        Sid: 'TranslateQuestions',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel'],
        Resource: bedrockProfile
          ? [
              { 'Fn::Sub': `arn:\${AWS::Partition}:bedrock:\${AWS::Region}:\${AWS::AccountId}:inference-profile/${bedrockModel}` },
              { 'Fn::Sub': `arn:\${AWS::Partition}:bedrock:*::foundation-model/${bedrockProfile[1]}` },
            ]
          : [{ 'Fn::Sub': `arn:\${AWS::Partition}:bedrock:\${AWS::Region}::foundation-model/${bedrockModel}` }],
      },
    ]
  : [];

/** GuardDuty's numeric severity: Low 1–3.9, Medium 4–6.9, High 7–8.9, Critical 9–10. */
const guardDutyMin: Record<string, number> = { INFORMATIONAL: 0, LOW: 0, MEDIUM: 4, HIGH: 7, CRITICAL: 9 };

function severityFilter(detailType: string): Record<string, unknown> {
  if (floor === 'INFORMATIONAL') return {};
  if (detailType === 'Findings Imported V2') return { detail: { findings: { severity_id: ocsfAtOrAbove } } };
  return { detail: { findings: { Severity: { Label: atOrAbove } } } };
}

const slackSecretArn = {
  'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${self:custom.slackSecretId}-*',
};
const tableArn = { 'Fn::GetAtt': ['Table', 'Arn'] };
const ingestFailedArn = { 'Fn::GetAtt': ['IngestFailedQueue', 'Arn'] };
const ingestUndeliveredArn = { 'Fn::GetAtt': ['IngestUndeliveredQueue', 'Arn'] };
const tableIndexesArn = { 'Fn::Sub': '${Table.Arn}/index/*' };
const queueArn = { 'Fn::GetAtt': ['WorkQueue', 'Arn'] };

const onlyBundle = (name: string) => ({ patterns: ['!**', `.build/${name}/**`] });

/** A function's role: its log group, the Slack secret, the table, and what else it calls. */
function role(name: string, extra: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: `sirbot-${name}`,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'WriteOwnLogs',
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: [
                  { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/sirbot-\${sls:stage}-${name}:*` },
                ],
              },
              { Sid: 'ReadSlackCredentials', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [slackSecretArn] },
              {
                Sid: 'UseTable',
                Effect: 'Allow',
                Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
                Resource: [tableArn, tableIndexesArn],
              },
              ...extra,
            ],
          },
        },
      ],
    },
  };
}

const sendJobs = { Sid: 'QueueJobs', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [queueArn] };

/** Held 14 days, encrypted; what it holds is described where it is used. */
const holdingQueue = (name: string) => ({
  Type: 'AWS::SQS::Queue',
  Properties: { QueueName: `sirbot-${name}-\${sls:stage}`, MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true },
});

/** Goes off as soon as one message waits in the queue. */
const waitingAlarm = (queue: string, name: string, description: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmName: `sirbot-${name}-\${sls:stage}`,
    AlarmDescription: description,
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
    Statistic: 'Maximum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
  },
});

/** EventBridge's own delivery of a finding event to ingest: retried for a day, then kept. */
const eventBridgeDelivery = { retryPolicy: { maximumEventAge: 86400, maximumRetryAttempts: 185 }, deadLetterQueueArn: ingestUndeliveredArn };

const configuration = {
  service: 'sirbot',
  frameworkVersion: '>=3',
  custom: {
    slackSecretId: '${param:slackSecretId, "sirbot/slack"}',
    /** The member role the worker assumes in every account (deploy/member-role.yml). */
    memberRoleName: '${param:memberRoleName, "sirbot-member"}',
    /** GuardDuty organization: its administrator account, through which findings are archived (empty: standalone). */
    guardDutyAdminAccount: '${param:guardDutyAdminAccount, ""}',
    externalId: '${param:externalId, "sirbot"}',
    /**
     * The trail's long-term store (README "Configuration", SIRBOT_ARCHIVE_*): searched through
     * the member role in archiveAccount, whose stack (deploy/member-role.yml) grants it with
     * TrailEventDataStoreArn, TrailBucket or TrailAthenaWorkGroup. All empty: event history only.
     */
    archive: {
      lakeEventDataStore: '${param:archiveLakeEventDataStore, ""}',
      athenaTable: '${param:archiveAthenaTable, ""}',
      athenaWorkGroup: '${param:archiveAthenaWorkGroup, "primary"}',
      bucket: '${param:archiveBucket, ""}',
      organizationId: '${param:archiveOrganizationId, ""}',
      account: '${param:archiveAccount, ""}',
      region: '${param:archiveRegion, ""}',
      dataEvents: '${param:archiveDataEvents, "false"}',
    },
  },
  provider: {
    name: 'aws',
    runtime: 'nodejs22.x',
    architecture: 'arm64',
    stage: '${opt:stage, "dev"}',
    region: '${opt:region, "us-east-1"}',
    memorySize: 512,
    logRetentionInDays: 30,
    environment: {
      NODE_OPTIONS: '--enable-source-maps',
      SIRBOT_SLACK_SECRET_ID: '${self:custom.slackSecretId}',
      SIRBOT_TABLE: { Ref: 'Table' },
      SIRBOT_QUEUE_URL: { Ref: 'WorkQueue' },
      LOG_LEVEL: 'info',
    },
  },
  package: { individually: true, patterns: ['!**'] },
  functions: {
    slack: {
      handler: '.build/slack/index.handler',
      description: 'Slack events and interactions (Bolt AwsLambdaReceiver); slow work goes to the work queue',
      timeout: 10,
      role: 'SlackRole',
      package: onlyBundle('slack'),
      environment: { SIRBOT_RULES: '.build/slack/rules/default.yml' },
      events: [
        { httpApi: { method: 'POST', path: '/slack/events' } },
        // Acknowledgements from PagerDuty (V3 webhook, signed) and Opsgenie (outgoing webhook, token header): README "Paging on-call".
        { httpApi: { method: 'POST', path: '/pager/pagerduty' } },
        { httpApi: { method: 'POST', path: '/pager/opsgenie' } },
      ],
    },
    ingest: {
      handler: '.build/ingest/index.handler',
      description: 'Security Hub, GuardDuty and AWS Health findings from EventBridge and SNS; Security IR case events',
      timeout: 60,
      role: 'IngestRole',
      package: onlyBundle('ingest'),
      environment: { SIRBOT_RULES: '.build/ingest/rules/default.yml' },
      // Asynchronous invocations: an event is retried twice (it is idempotent: findings are
      // deduplicated by id and version), for up to six hours (the most Lambda allows), then kept.
      maximumRetryAttempts: 2,
      maximumEventAge: 21600,
      destinations: { onFailure: { type: 'sqs', arn: ingestFailedArn } },
      events: [
        ...SECURITY_HUB_DETAIL_TYPES.map((detailType) => ({
          eventBridge: { pattern: { source: ['aws.securityhub'], 'detail-type': [detailType], ...severityFilter(detailType) }, ...eventBridgeDelivery },
        })),
        {
          eventBridge: {
            pattern: {
              source: ['aws.guardduty'],
              'detail-type': ['GuardDuty Finding'],
              ...(guardDutyMin[floor] ? { detail: { severity: [{ numeric: ['>=', guardDutyMin[floor]] }] } } : {}),
            },
            ...eventBridgeDelivery,
          },
        },
        // AWS found one of the account's access keys published (AWS Health sends it in us-east-1).
        {
          eventBridge: {
            pattern: { source: ['aws.health'], 'detail-type': ['AWS Health Event'], detail: { eventTypeCode: ['AWS_RISK_CREDENTIALS_EXPOSED'] } },
            ...eventBridgeDelivery,
          },
        },
        // On the default bus of this account and region: the Security IR membership's.
        { eventBridge: { pattern: { source: ['aws.security-ir'], 'detail-type': [...SECURITY_IR_CASE_DETAIL_TYPES] }, ...eventBridgeDelivery } },
        { sns: { arn: { Ref: 'FindingsTopic' }, topicName: 'sirbot-findings-${sls:stage}', redrivePolicy: { deadLetterTargetRef: 'IngestFailedQueue' } } },
      ],
    },
    worker: {
      handler: '.build/worker/index.handler',
      description: 'Investigations, cases, status changes and remediations from the work queue; the escalation clock',
      timeout: 300,
      memorySize: 1024,
      role: 'WorkerRole',
      package: onlyBundle('worker'),
      environment: {
        SIRBOT_RULES: '.build/worker/rules/default.yml',
        SIRBOT_ROLE_NAME: '${self:custom.memberRoleName}',
        SIRBOT_ROLE_EXTERNAL_ID: '${self:custom.externalId}',
        SIRBOT_GUARDDUTY_ADMIN_ACCOUNT: '${self:custom.guardDutyAdminAccount}',
        SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE: '${self:custom.archive.lakeEventDataStore}',
        SIRBOT_ARCHIVE_ATHENA_TABLE: '${self:custom.archive.athenaTable}',
        SIRBOT_ARCHIVE_ATHENA_WORKGROUP: '${self:custom.archive.athenaWorkGroup}',
        SIRBOT_ARCHIVE_BUCKET: '${self:custom.archive.bucket}',
        SIRBOT_ARCHIVE_ORG_ID: '${self:custom.archive.organizationId}',
        SIRBOT_ARCHIVE_ACCOUNT: '${self:custom.archive.account}',
        SIRBOT_ARCHIVE_REGION: '${self:custom.archive.region}',
        SIRBOT_ARCHIVE_DATA_EVENTS: '${self:custom.archive.dataEvents}',
        ...(bedrockModel ? { SIRBOT_BEDROCK_MODEL_ID: bedrockModel } : {}),
      },
      events: [
        { sqs: { arn: queueArn, batchSize: 5, functionResponseType: 'ReportBatchItemFailures' } },
        { schedule: { rate: 'rate(1 minute)', description: 'Escalation timers' } },
      ],
    },
  },
  resources: {
    Resources: {
      FindingsTopic: {
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: 'sirbot-findings-${sls:stage}', KmsMasterKeyId: 'alias/aws/sns' },
      },
      /** One table: threads, investigations, idempotency keys (TTL), action records, the audit log. */
      Table: {
        Type: 'AWS::DynamoDB::Table',
        DeletionPolicy: 'Retain',
        Properties: {
          TableName: 'sirbot-${sls:stage}',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'gsi1pk', AttributeType: 'S' },
            { AttributeName: 'gsi1sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'gsi1',
              KeySchema: [
                { AttributeName: 'gsi1pk', KeyType: 'HASH' },
                { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
          SSESpecification: { SSEEnabled: true },
        },
      },
      WorkQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: 'sirbot-work-${sls:stage}',
          // Above the worker's 300 s timeout, so a running job is never handed to a second worker.
          VisibilityTimeout: 360,
          SqsManagedSseEnabled: true,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDeadLetterQueue', 'Arn'] }, maxReceiveCount: 3 },
        },
      },
      WorkDeadLetterQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: { QueueName: 'sirbot-work-dlq-${sls:stage}', MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true },
      },
      WorkDeadLetterAlarm: waitingAlarm('WorkDeadLetterQueue', 'work-dlq', 'A sirbot job failed three times and sits in the dead-letter queue'),
      /** Lambda's on-failure records ({requestContext, requestPayload: the event}) and SNS messages not delivered. */
      IngestFailedQueue: holdingQueue('ingest-failed'),
      IngestFailedAlarm: waitingAlarm(
        'IngestFailedQueue',
        'ingest-failed',
        'Findings sirbot could not ingest after its retries wait in the ingest-failed queue',
      ),
      /** Finding events EventBridge could not deliver to ingest within a day. */
      IngestUndeliveredQueue: holdingQueue('ingest-undelivered'),
      IngestUndeliveredAlarm: waitingAlarm(
        'IngestUndeliveredQueue',
        'ingest-undelivered',
        'Finding events EventBridge could not deliver to sirbot wait in the ingest-undelivered queue',
      ),
      IngestUndeliveredQueuePolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'IngestUndeliveredQueue' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'IngestRulesDeadLetters',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: ingestUndeliveredArn,
                Condition: {
                  ArnLike: {
                    'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/sirbot-${sls:stage}-ingest-rule-*' },
                  },
                },
              },
            ],
          },
        },
      },
      SlackRole: role('slack', [sendJobs]),
      // Ingest validates, stores and puts the work on the queue; what it cannot take goes to its failure queue.
      IngestRole: role('ingest', [sendJobs, { Sid: 'KeepFailedEvents', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [ingestFailedArn] }]),
      WorkerRole: role('worker', [
        sendJobs,
        { Sid: 'ConsumeJobs', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: [queueArn] },
        {
          Sid: 'AssumeMemberRoleOnly',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${self:custom.memberRoleName}' }],
        },
        // Every case action sirbot takes names the case resource type (CreateCase too, and the
        // TagResource it authorizes), per the Service Authorization Reference.
        {
          Sid: 'SecurityIncidentResponseCases',
          Effect: 'Allow',
          Action: [
            'security-ir:CreateCase',
            'security-ir:TagResource',
            'security-ir:GetCase',
            'security-ir:UpdateCase',
            'security-ir:UpdateCaseStatus',
            'security-ir:UpdateResolverType',
            'security-ir:CloseCase',
            'security-ir:CreateCaseComment',
            'security-ir:ListComments',
            // Files a responder posts to the case from its thread.
            'security-ir:GetCaseAttachmentUploadUrl',
            // The investigative agent's results on a case, and feedback on them (both on the case resource).
            'security-ir:ListInvestigations',
            'security-ir:SendFeedback',
          ],
          Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:security-ir:${AWS::Region}:${AWS::AccountId}:case/*' }],
        },
        // A List action with no resource type: IAM evaluates it against "*" only.
        { Sid: 'ListCasesHasNoResourceType', Effect: 'Allow', Action: ['security-ir:ListCases'], Resource: ['*'] },
        ...invokeModel,
      ]),
    },
    Outputs: {
      FindingsTopicArn: { Description: 'Publish findings here to route them through sirbot', Value: { Ref: 'FindingsTopic' } },
      WorkerRoleArn: { Description: 'Trusted by the member role (deploy/member-role.yml)', Value: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] } },
    },
  },
};

export default configuration;
