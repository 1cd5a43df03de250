/**
 * SCIM protocol errors (RFC 7644 §3.12). Everything under `scim/` and the services throw
 * `ScimError`; the HTTP layer turns it into the error body. Any other exception is a bug.
 */

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * The `scimType` values of RFC 7644 §3.12 table 9, plus `userLimitReached`
 * (non-standard, WSO2 precedent) for the plan's seat limit.
 */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'userLimitReached';

/** A failure the client caused or must know about; `detail` is read by the IdP admin. */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly detail: string;

  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
  }
}

/** The RFC 7644 §3.12 body; `status` is a string as the RFC's examples show. */
export interface ErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export function toErrorBody(error: ScimError): ErrorBody {
  const body: ErrorBody = { schemas: [ERROR_SCHEMA], status: String(error.status), detail: error.detail };
  if (error.scimType !== undefined) body.scimType = error.scimType;
  return body;
}

export const badRequest = (scimType: ScimType, detail: string): ScimError => new ScimError(400, scimType, detail);
export const notFound = (detail: string): ScimError => new ScimError(404, undefined, detail);
