export { type ErrorCode, NpuFirstError } from './base.js';
export * from './errors.js';
