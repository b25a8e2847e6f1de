export { ApiError, type ApiErrorBody, type ApiErrorType } from './api-error.js';
export { DEFAULTS as SERVE_DEFAULTS, type ServedModel, type ServeOptions } from './options.js';
export { npuFirstRoutes } from './routes-plugin.js';
export { createServer, type ListenOptions, type NpuFirstServer } from './serve.js';
export { readServeConfig, type ServeConfig } from './serve-config.js';
export type { WhereItRan } from './where-it-ran.js';
