/**
 * Stable error codes. Scripts and tests match on `code`, never on message text,
 * so messages can improve without breaking anyone.
 */
export const ErrorCode = {
  /** A configuration value is malformed or out of range. */
  CONFIG_INVALID: 'EW_CONFIG_INVALID',
  /** The configuration file cannot be read or parsed. */
  CONFIG_FILE: 'EW_CONFIG_FILE',
  /** Unknown command or flag on the command line. */
  USAGE: 'EW_USAGE',
  /** A component's binary is not installed or not executable, or edgewatch's own build is incomplete. */
  BINARY_MISSING: 'EW_BINARY_MISSING',
  /** A component failed to become healthy at start. */
  COMPONENT_START: 'EW_COMPONENT_START',
  /** Listening on a non-loopback address without credentials configured. */
  INSECURE_LISTEN: 'EW_INSECURE_LISTEN',
  /** The operation needs privileges (root) or kernel features this machine lacks. */
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

/**
 * The one table of exit codes: 2 when the command line, the configuration or the installation
 * must change (nothing was started), 1 when running failed. A Record, so a new code cannot be
 * added without its exit code.
 */
const EXIT_CODES: Readonly<Record<ErrorCodeValue, 1 | 2>> = {
  [ErrorCode.CONFIG_INVALID]: 2,
  [ErrorCode.CONFIG_FILE]: 2,
  [ErrorCode.USAGE]: 2,
  [ErrorCode.BINARY_MISSING]: 2,
  [ErrorCode.INSECURE_LISTEN]: 2,
  [ErrorCode.COMPONENT_START]: 1,
  [ErrorCode.UNSUPPORTED]: 1,
};

function exitCodeFor(code: ErrorCodeValue): number {
  return EXIT_CODES[code];
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
