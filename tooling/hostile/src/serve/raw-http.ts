import { connect } from 'node:net';
import type { Answer } from './openai-error.js';

/**
 * Writes `parts` on a fresh TCP connection to the server, in order, and resolves with all it
 * sent back once the connection closes — for requests fetch cannot send (a lying
 * Content-Length, broken chunking, a request line that is not HTTP). `then: 'half-close'` ends
 * the client's side after the last part; `'hang-up'` destroys the connection instead, without
 * reading an answer. A write the server refused (it closed first) is not an error here.
 */
export function rawExchange(
  url: string,
  parts: readonly (string | Uint8Array)[],
  then: 'wait' | 'half-close' | 'hang-up' = 'wait',
): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {}); // EPIPE / ECONNRESET once the server has answered and closed
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('connect', () => {
      for (const part of parts) socket.write(part);
      if (then === 'half-close') socket.end();
      // Once the parts are on the wire, the client goes away.
      if (then === 'hang-up') socket.write('', () => socket.destroy());
    });
  });
}

/** The HTTP/1.1 responses in what a raw exchange read, in order (each with a Content-Length). */
export function responsesIn(raw: string): Answer[] {
  const answers: Answer[] = [];
  let rest = Buffer.from(raw, 'utf8');
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`an incomplete response head: ${rest.toString().slice(0, 200)}`);
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
    if (!status) throw new Error(`not a status line: ${statusLine}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? Number.NaN);
    if (!Number.isInteger(length))
      throw new Error(`a response without Content-Length: ${statusLine}`);
    const body = rest.subarray(end + 4, end + 4 + length);
    answers.push({ status: Number(status[1]), headers, text: body.toString('utf8') });
    rest = rest.subarray(end + 4 + length);
  }
  return answers;
}
