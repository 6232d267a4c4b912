/** The AWS query protocol's XML (IAM, STS, EC2 answer in it). */

export const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Renders a value as query-protocol XML: objects as elements, lists as <member> items. */
export function toXml(value: unknown, listItem = 'member'): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<${listItem}>${toXml(v, listItem)}</${listItem}>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v, listItem)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(value));
}

export function queryResponse(action: string, namespace: string, result: Record<string, unknown>, listItem = 'member'): string {
  return `<${action}Response xmlns="${namespace}"><${action}Result>${toXml(result, listItem)}</${action}Result><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}
