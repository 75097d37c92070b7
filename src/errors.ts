/**
 * Stable error codes. Scripts and tests match on `code`, never on message text,
 * so messages can improve without breaking anyone.
 */
export const ErrorCode = {
  /** A configuration value is malformed or out of range. Exit code 2. */
  CONFIG_INVALID: 'EW_CONFIG_INVALID',
  /** The configuration file cannot be read or parsed. Exit code 2. */
  CONFIG_FILE: 'EW_CONFIG_FILE',
  /** Unknown command or flag on the command line. Exit code 2. */
  USAGE: 'EW_USAGE',
  /** A component's binary is not installed or not executable. Exit code 2. */
  BINARY_MISSING: 'EW_BINARY_MISSING',
  /** A component failed to become healthy at start. Exit code 1. */
  COMPONENT_START: 'EW_COMPONENT_START',
  /** Listening on a non-loopback address without credentials configured. Exit code 2. */
  INSECURE_LISTEN: 'EW_INSECURE_LISTEN',
  /** The operation needs privileges (root) or kernel features this machine lacks. Exit code 1. */
  UNSUPPORTED: 'EW_UNSUPPORTED',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Errors that end the process with a message for the operator and a defined exit code. */
export class EdgewatchError extends Error {
  readonly code: ErrorCodeValue;
  readonly exitCode: number;

  constructor(code: ErrorCodeValue, message: string, exitCode = exitCodeFor(code)) {
    super(message);
    this.name = 'EdgewatchError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

function exitCodeFor(code: ErrorCodeValue): number {
  switch (code) {
    case ErrorCode.CONFIG_INVALID:
    case ErrorCode.CONFIG_FILE:
    case ErrorCode.USAGE:
    case ErrorCode.BINARY_MISSING:
    case ErrorCode.INSECURE_LISTEN:
      return 2;
    default:
      return 1;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
