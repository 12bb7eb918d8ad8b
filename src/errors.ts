// The one error model: a closed list of codes, one base class that says whether a retry can help,
// and an HTTP subclass that says what the client may see.

export const errorCodes = [
  'CONFIG_INVALID',
  'ORDER_INVALID',
  'QUERY_INVALID',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
  'STATUS_UNAVAILABLE',
  'METHOD_NOT_ALLOWED',
  'KAFKA_UNAVAILABLE',
  'INVALID_JSON',
  'INVALID_ENVELOPE',
  'UNKNOWN_TYPE',
  'SCHEMA_VIOLATION',
  'PROCESSING_FAILED',
  'PAYMENT_GATEWAY_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** Codes of a message that can never be processed as it is: it goes to the dead-letter topic at once. */
export const invalidMessageCodes = ['INVALID_JSON', 'INVALID_ENVELOPE', 'UNKNOWN_TYPE', 'SCHEMA_VIOLATION'] as const;

export interface WebshopErrorOptions {
  cause?: unknown;
  /** True when the same operation may succeed if tried again (a timeout, a broker away). */
  retriable?: boolean;
}

export class WebshopError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: WebshopErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WebshopError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export interface HttpErrorOptions extends WebshopErrorOptions {
  /** Whether the message may be shown to the client; unexposed errors answer "Internal server error". */
  expose?: boolean;
  errors?: FieldError[];
  orderId?: string;
}

export class HttpError extends WebshopError {
  readonly status: number;
  readonly expose: boolean;
  readonly errors: FieldError[] | undefined;
  readonly orderId: string | undefined;

  constructor(status: number, code: ErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(code, message, options);
    this.name = 'HttpError';
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.errors = options.errors;
    this.orderId = options.orderId;
  }
}

/** The code and retriable flag of anything thrown: a WebshopError keeps its own, anything else is INTERNAL. */
export function describeError(error: unknown): { code: ErrorCode; message: string; retriable: boolean } {
  if (error instanceof WebshopError) return { code: error.code, message: error.message, retriable: error.retriable };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, retriable: false };
}
