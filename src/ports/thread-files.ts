/** A file someone shared in a thread, read whole. */
export interface SharedFile {
  name: string;
  bytes: Buffer;
}

/**
 * The files of a thread's messages, by id: Slack's (files.info and the private URL, with
 * the bot token). Throws when the file cannot be read, or is larger than `maxBytes`.
 */
export interface ThreadFiles {
  read(fileId: string, maxBytes: number): Promise<SharedFile>;
}
