import type { Socket } from 'node:net';
import { ApiError } from './api-error.js';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them — a malformed request line, a
 * bad chunk size, a body longer than its `Content-Length` — answered in OpenAI's error shape
 * (Fastify's default answers in its own). The connection is closed after: its framing is lost.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          'headers_too_large',
          'The request headers are too large',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request_timeout', 'The request did not arrive in time']
        : [
            400,
            'Bad Request',
            'malformed_http',
            `The request is not valid HTTP/1.1: ${why(error)}`,
          ];
  const body = JSON.stringify(new ApiError(status, 'invalid_request_error', message, code).body());
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  socket.destroy();
}

/** The parser's reason without its prefix (`Parse Error: Invalid method encountered`). */
function why(error: NodeJS.ErrnoException): string {
  if (error.code === 'HPE_INVALID_EOF_STATE') return 'the connection ended inside the request';
  return error.message.replace(/^Parse Error:?\s*/, '') || (error.code ?? 'unreadable');
}
