/** The parts of a CloudTrail record sirbot reads. Validated at the boundary (evidence/). */
export interface CloudTrailRecord {
  eventID: string;
  eventName: string;
  eventSource: string;
  eventTime: string;
  awsRegion: string;
  recipientAccountId?: string | undefined;
  sourceIPAddress?: string | undefined;
  userAgent?: string | undefined;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  readOnly?: boolean | undefined;
  userIdentity?:
    | {
        type?: string | undefined;
        arn?: string | undefined;
        userName?: string | undefined;
        principalId?: string | undefined;
        accountId?: string | undefined;
        accessKeyId?: string | undefined;
        sessionContext?: { sessionIssuer?: { userName?: string | undefined; arn?: string | undefined } | undefined } | undefined;
      }
    | undefined;
  requestParameters?: Record<string, unknown> | null | undefined;
  responseElements?: Record<string, unknown> | null | undefined;
  resources?: Array<{ ARN?: string | undefined; type?: string | undefined }> | undefined;
}
