import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error.js';

/**
 * `Authorization: Bearer <key>` against the configured key. Both sides are hashed first, so
 * the comparison takes the same time whatever the length or content of a wrong key.
 */
export function checkBearer(header: string | undefined, key: string): void {
  // The scheme is case-insensitive (RFC 9110); a 401 says which scheme it wants.
  const match = /^Bearer +(.+)$/i.exec(header ?? '');
  const challenge = { 'www-authenticate': 'Bearer' };
  if (!match)
    throw new ApiError(
      401,
      'authentication_error',
      'This server needs an API key: send "Authorization: Bearer <key>"',
      'missing_api_key',
      null,
      challenge,
    );
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (!timingSafeEqual(digest(match[1] as string), digest(key)))
    throw new ApiError(
      401,
      'authentication_error',
      'Incorrect API key',
      'invalid_api_key',
      null,
      challenge,
    );
}
