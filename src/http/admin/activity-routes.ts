import type { ActivityFilters } from '../../provisioning/activity-queries.js';
import { activityCsv } from './activity-csv.js';
import type { AdminDependencies } from './admin-dependencies.js';
import { sessionOf, type AdminRoute, type JsonSchema } from './admin-route.js';

const DAY = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const FILTERS = {
  outcome: { type: 'string', enum: ['success', 'failure'] },
  action: { type: 'string', maxLength: 64, pattern: '^[a-z_.]+$', description: 'e.g. user.created, group.members_added, auth.failed' },
  from: { ...DAY, description: 'First day (UTC), inclusive.' },
  to: { ...DAY, description: 'Last day (UTC), inclusive.' },
};

const EVENT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    occurredAt: { type: 'string', format: 'date-time' },
    actor: { type: 'string', description: 'key:<key name> for SCIM calls, admin:<email> for console actions.' },
    idp: { type: ['string', 'null'] },
    method: { type: ['string', 'null'] },
    path: { type: ['string', 'null'] },
    resourceType: { type: 'string' },
    resourceId: { type: ['string', 'null'] },
    target: { type: ['string', 'null'] },
    action: { type: 'string' },
    outcome: { type: 'string', enum: ['success', 'failure'] },
    httpStatus: { type: 'integer' },
    scimType: { type: ['string', 'null'] },
    detail: { type: ['string', 'null'] },
    changes: { description: 'Field diff: [{ field, from, to }] (phone numbers masked).' },
    durationMs: { type: ['integer', 'null'] },
  },
};

type FilterQuery = { outcome?: 'success' | 'failure'; action?: string; from?: string; to?: string };

const filtersOf = (query: FilterQuery): ActivityFilters => ({ outcome: query.outcome, action: query.action, fromDay: query.from, toDay: query.to });

/** Integrations › Provisioning activity (domain.md §5.3 page 4). */
export function activityRoutes(deps: AdminDependencies): AdminRoute[] {
  return [
    {
      method: 'GET',
      url: '/activity',
      operationId: 'listActivity',
      summary: 'The provisioning activity log, newest first; pass nextCursor as `before` for older entries.',
      tag: 'Activity',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { ...FILTERS, before: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      },
      response: {
        status: 200,
        description: 'One page.',
        schema: { type: 'object', properties: { items: { type: 'array', items: EVENT_SCHEMA }, nextCursor: { type: ['integer', 'null'] } } },
      },
      errors: [400],
      handler: async (request) => {
        const query = request.query as FilterQuery & { before?: number; limit: number };
        return deps.directory.listActivity(sessionOf(request).accountId, filtersOf(query), { before: query.before, limit: query.limit });
      },
    },
    {
      method: 'GET',
      url: '/activity/daily',
      operationId: 'activityPerDay',
      summary: 'Provisioning requests per UTC day and outcome, oldest day first, today included.',
      tag: 'Activity',
      querystring: { type: 'object', additionalProperties: false, properties: { days: { type: 'integer', minimum: 1, maximum: 90, default: 30 } } },
      response: {
        status: 200,
        description: 'One entry per day.',
        schema: { type: 'object', properties: { days: { type: 'array', items: { type: 'object', properties: { day: DAY, success: { type: 'integer' }, failure: { type: 'integer' } } } } } },
      },
      handler: async (request) => ({ days: await deps.directory.activityPerDay(sessionOf(request).accountId, (request.query as { days: number }).days) }),
    },
    {
      method: 'GET',
      url: '/activity/export.csv',
      operationId: 'exportActivity',
      summary: 'The filtered activity log as CSV (newest first, at most 10,000 rows).',
      tag: 'Activity',
      querystring: { type: 'object', additionalProperties: false, properties: FILTERS },
      response: { status: 200, description: 'A CSV file with a header row.', contentType: 'text/csv' },
      errors: [400],
      handler: async (request, reply) => {
        const session = sessionOf(request);
        const items = await deps.directory.exportActivity(session.accountId, filtersOf(request.query as FilterQuery));
        const stamp = new Date().toISOString().slice(0, 10);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="roster-provisioning-activity-${stamp}.csv"`)
          .header('cache-control', 'no-store')
          .send(activityCsv(items));
      },
    },
  ];
}
