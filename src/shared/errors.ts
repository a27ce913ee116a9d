// Errors carry a stable `code` (what callers and HTTP mapping switch on) and,
// where there is one, the `cause` that led to them.

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
    super("ERR_CONFIG", `${variable}: ${message}`, options);
    this.variable = variable;
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
