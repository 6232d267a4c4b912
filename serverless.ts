/**
 * Deployment for the open-source Serverless Framework CLI (`osls`, v3-compatible).
 * `npm run package` bundles each function with esbuild (src/build/bundle.ts) and
 * packages it offline; `npx osls deploy --stage prod --param slackSecretId=…` deploys.
 *
 * Slack credentials live in one Secrets Manager secret, JSON {"signingSecret","botToken"},
 * created outside this stack; functions read it at cold start. Nothing secret is in
 * this template or its environment.
 */

const SECURITY_HUB_DETAIL_TYPES = [
  'Security Hub Findings - Imported',
  'Security Hub Findings - Custom Action',
  'Findings Imported V2',
] as const;

const slackSecretArn = {
  'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${self:custom.slackSecretId}-*',
};

const onlyBundle = (name: string) => ({ patterns: ['!**', `.build/${name}/**`] });

const configuration = {
  service: 'sirbot',
  frameworkVersion: '>=3',
  custom: {
    slackSecretId: '${param:slackSecretId, "sirbot/slack"}',
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
      LOG_LEVEL: 'info',
    },
    iam: {
      role: {
        statements: [
          {
            Sid: 'ReadSlackCredentials',
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue'],
            Resource: [slackSecretArn],
          },
        ],
      },
    },
  },
  package: { individually: true, patterns: ['!**'] },
  functions: {
    slack: {
      handler: '.build/slack/index.handler',
      description: 'Slack events and interactions (Bolt AwsLambdaReceiver)',
      timeout: 10,
      package: onlyBundle('slack'),
      environment: { SIRBOT_RULES: '.build/slack/rules/default.yml' },
      events: [{ httpApi: { method: 'POST', path: '/slack/events' } }],
    },
    ingest: {
      handler: '.build/ingest/index.handler',
      description: 'Security Hub and GuardDuty findings from EventBridge and SNS',
      timeout: 60,
      package: onlyBundle('ingest'),
      environment: { SIRBOT_RULES: '.build/ingest/rules/default.yml' },
      events: [
        ...SECURITY_HUB_DETAIL_TYPES.map((detailType) => ({
          eventBridge: { pattern: { source: ['aws.securityhub'], 'detail-type': [detailType] } },
        })),
        { eventBridge: { pattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] } } },
        { sns: { arn: { Ref: 'FindingsTopic' }, topicName: 'sirbot-findings-${sls:stage}' } },
      ],
    },
  },
  resources: {
    Resources: {
      FindingsTopic: {
        Type: 'AWS::SNS::Topic',
        Properties: {
          TopicName: 'sirbot-findings-${sls:stage}',
          KmsMasterKeyId: 'alias/aws/sns',
        },
      },
    },
    Outputs: {
      FindingsTopicArn: { Description: 'Publish findings here to route them through sirbot', Value: { Ref: 'FindingsTopic' } },
    },
  },
};

export default configuration;
