/** A person's time zone (an IANA name such as Europe/Paris), to read the times they write; null when unknown. */
export interface TimeZones {
  timeZoneOf(user: string): Promise<string | null>;
}
