// One error scheme. Every error the services throw is an AppError with a
// stable snake_case `code` (what callers and the HTTP mapping switch on) and,
// where there is one, the `cause` that led to it. The same codes name the
// errors in HTTP answers ({"error":{"code","message","field"?}}); HTTP_STATUS
// is the one table from code to status.

export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value is missing or out of range; names the variable. */
export class ConfigError extends AppError {
  readonly variable: string;
  constructor(variable: string, message: string, options?: { cause?: unknown }) {
    super("invalid_config", `${variable}: ${message}`, options);
    this.variable = variable;
  }
}

/** A programmatic option (a constructor argument) is out of range; NaN and undefined included. */
export class OptionError extends AppError {
  constructor(message: string) {
    super("invalid_option", message);
  }
}

/** Input that breaks a rule; `field` is a path such as `[3].quantity`. */
export class ValidationError extends AppError {
  readonly field: string | undefined;
  constructor(code: string, message: string, field?: string) {
    super(code, message);
    this.field = field;
  }
}

/** HTTP status of each code an answer may carry; any other code answers 500. */
export const HTTP_STATUS: Readonly<Record<string, number>> = {
  bad_request: 400,
  invalid_json: 400,
  invalid_type: 400,
  invalid_format: 400,
  out_of_range: 400,
  missing_field: 400,
  unknown_field: 400,
  empty_batch: 400,
  too_many_updates: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  internal: 500,
  // The server's state, not the request's: 503 with Retry-After (RETRY_AFTER_S).
  not_ready: 503,
  shutting_down: 503,
  overloaded: 503,
  publish_failed: 503,
};

/** Seconds a client should wait before retrying, for the 503 codes. */
export const RETRY_AFTER_S: Readonly<Record<string, number>> = { not_ready: 1, shutting_down: 5, overloaded: 1, publish_failed: 2 };

export function httpStatus(code: string): number {
  return HTTP_STATUS[code] ?? 500;
}
