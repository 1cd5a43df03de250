/** A failure of a product rule outside the SCIM protocol (CLI, console API). */
export type AppErrorCode = 'not_found' | 'invalid' | 'conflict' | 'forbidden' | 'unauthorized' | 'too_many';

export class AppError extends Error {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}
