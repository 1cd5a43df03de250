import type { FastifyRequest } from 'fastify';
import type { ProvisioningModule } from '../../provisioning/provisioning-module.js';
import type { ScimError } from '../../scim/errors.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every refused SCIM write appears in the account's activity log (domain.md §5.1), so an admin
 * can see why Okta's task failed. Reads that fail (a 404 on GET) are not logged.
 */
export async function recordRejection(provisioning: ProvisioningModule, request: FastifyRequest, error: ScimError): Promise<void> {
  const context = request.scim;
  if (!context || !WRITE_METHODS.has(request.method) || request.url.includes('/.search')) return;
  const path = context.path.replace(/^.*\/scim\/v2/, '');
  const [, collection, id] = path.split('/');
  const resourceType = collection === 'Groups' ? 'Group' : 'User';
  const body = request.body;
  const label = typeof body === 'object' && body !== null ? ((body as Record<string, unknown>)['userName'] ?? (body as Record<string, unknown>)['displayName']) : undefined;
  try {
    await provisioning.recordRejection(context, {
      action: resourceType === 'Group' ? 'group.rejected' : 'user.rejected',
      resourceType,
      resourceId: id ?? null,
      targetLabel: typeof label === 'string' ? label.slice(0, 200) : null,
      outcome: 'failure',
      httpStatus: error.status,
      scimType: error.scimType,
      detail: error.detail,
    });
  } catch (logError) {
    request.log.error({ err: logError }, 'could not record a rejected request in the activity log');
  }
}
