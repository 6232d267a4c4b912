/** The bytes of an upload, whether sent raw or as the single part of a multipart form. */
export function uploadedBytes(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return body;
  const marker = `--${boundary[1] ?? boundary[2]}`;
  // latin1 maps bytes one to one, so offsets found in the text are offsets in the buffer.
  const text = body.toString('latin1');
  const start = text.indexOf('\r\n\r\n', text.indexOf(marker));
  const end = text.indexOf(`\r\n${marker}`, start);
  if (start === -1 || end === -1) return body;
  return body.subarray(start + 4, end);
}
