import type { MemberChanges, ManualMemberInput } from '../../provisioning/manual-members-service.js';
import type { AdminDependencies } from './admin-dependencies.js';
import { actorOf, ID_PARAMS, sessionOf, type AdminRoute, type JsonSchema } from './admin-route.js';

const ROLE = { type: 'string', enum: ['owner', 'admin', 'events_creator', 'no_access'] };
const ASSIGNABLE_ROLE = { type: 'string', enum: ['admin', 'events_creator', 'no_access'] };

export const MEMBER_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    userName: { type: 'string' },
    name: { type: 'string' },
    givenName: { type: ['string', 'null'] },
    familyName: { type: ['string', 'null'] },
    email: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    role: ROLE,
    status: { type: 'string', enum: ['invited', 'active', 'deactivated'] },
    source: { type: 'string', enum: ['manual', 'scim'], description: 'scim: managed by the identity provider (profile and status read-only).' },
    externalId: { type: ['string', 'null'] },
    teams: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } },
    consoleAccess: { type: 'boolean' },
    lastLoginAt: { type: ['string', 'null'], format: 'date-time' },
    deactivatedAt: { type: ['string', 'null'], format: 'date-time' },
    deactivatedBy: { type: ['string', 'null'], enum: ['admin', 'scim', null] },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

const TEAM_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    source: { type: 'string', enum: ['manual', 'scim'] },
    externalId: { type: ['string', 'null'] },
    memberCount: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

const OVERVIEW_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    account: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, plan: { type: 'string' }, planLabel: { type: 'string' }, scimEnabled: { type: 'boolean' } } },
    seats: { type: 'object', properties: { used: { type: 'integer' }, limit: { type: 'integer' }, invited: { type: 'integer' }, active: { type: 'integer' }, deactivated: { type: 'integer' } } },
    seatRefusal: { type: ['object', 'null'], properties: { occurredAt: { type: 'string' }, target: { type: ['string', 'null'] }, detail: { type: ['string', 'null'] } } },
    scimBaseUrl: { type: 'string', format: 'uri' },
  },
};

const MEMBER_WRITE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { member: MEMBER_SCHEMA, initialPassword: { type: 'string', description: 'Only when the member just became an admin: their first console password, shown once.' } },
};

const PROFILE = {
  email: { type: 'string', minLength: 3, maxLength: 254 },
  givenName: { type: 'string', minLength: 1, maxLength: 100 },
  familyName: { type: 'string', minLength: 1, maxLength: 100 },
  phone: { type: ['string', 'null'], maxLength: 40, description: '"<country_prefix> <telephone_number>", e.g. "+41 441234567".' },
  role: ASSIGNABLE_ROLE,
};

async function memberWrite(deps: AdminDependencies, accountId: string, result: { memberId: string; initialPassword?: string }) {
  const member = await deps.directory.getMember(accountId, result.memberId);
  return { member, ...(result.initialPassword ? { initialPassword: result.initialPassword } : {}) };
}

/** Plan & seats, Members, Teams (domain.md §5.3 pages 2–3). */
export function directoryRoutes(deps: AdminDependencies): AdminRoute[] {
  return [
    {
      method: 'GET',
      url: '/account',
      operationId: 'getAccount',
      summary: 'Plan, seat meter and the SCIM base URL.',
      tag: 'Account',
      response: { status: 200, description: 'The account overview.', schema: OVERVIEW_SCHEMA },
      handler: async (request) => ({ ...(await deps.directory.overview(sessionOf(request).accountId)), scimBaseUrl: `${deps.publicUrl}/scim/v2` }),
    },
    {
      method: 'GET',
      url: '/members',
      operationId: 'listMembers',
      summary: 'Members with their teams: searchable, filterable, paginated, sorted by name.',
      tag: 'Members',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          q: { type: 'string', maxLength: 200, description: 'Part of a name, userName or email (case-insensitive).' },
          status: { type: 'string', enum: ['invited', 'active', 'deactivated'] },
          source: { type: 'string', enum: ['manual', 'scim'] },
          role: ROLE,
          page: { type: 'integer', minimum: 1, default: 1 },
          pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
        },
      },
      response: {
        status: 200,
        description: 'One page.',
        schema: { type: 'object', properties: { items: { type: 'array', items: MEMBER_SCHEMA }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } },
      },
      handler: async (request) => {
        const query = request.query as { q?: string; status?: 'invited'; source?: 'manual'; role?: 'admin'; page: number; pageSize: number };
        return deps.directory.listMembers(sessionOf(request).accountId, { text: query.q, status: query.status, source: query.source, role: query.role, page: query.page, pageSize: query.pageSize });
      },
    },
    {
      method: 'POST',
      url: '/members',
      operationId: 'addMember',
      summary: 'Adds a manual member (status invited); refused with 409 when every seat is taken.',
      tag: 'Members',
      body: { type: 'object', required: ['email', 'givenName', 'familyName', 'role'], additionalProperties: false, properties: PROFILE },
      response: { status: 201, description: 'The new member.', schema: MEMBER_WRITE_SCHEMA },
      errors: [400, 409],
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const result = await deps.directory.addMember(actor, request.body as ManualMemberInput);
        return reply.code(201).send(await memberWrite(deps, actor.accountId, result));
      },
    },
    {
      method: 'GET',
      url: '/members/:id',
      operationId: 'getMember',
      summary: 'One member with their teams.',
      tag: 'Members',
      params: ID_PARAMS,
      response: { status: 200, description: 'The member.', schema: MEMBER_SCHEMA },
      errors: [404],
      handler: async (request) => deps.directory.getMember(sessionOf(request).accountId, (request.params as { id: string }).id),
    },
    {
      method: 'PATCH',
      url: '/members/:id',
      operationId: 'editMember',
      summary: 'Edits a member. Profile fields only for manual members (403 for members managed by the identity provider); the role for anyone but the owner.',
      tag: 'Members',
      params: ID_PARAMS,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: PROFILE },
      response: { status: 200, description: 'The member after the change.', schema: MEMBER_WRITE_SCHEMA },
      errors: [400, 404, 409],
      handler: async (request) => {
        const actor = actorOf(request);
        const result = await deps.directory.editMember(actor, (request.params as { id: string }).id, request.body as MemberChanges);
        return memberWrite(deps, actor.accountId, result);
      },
    },
    ...(['deactivate', 'reactivate'] as const).map(
      (verb): AdminRoute => ({
        method: 'POST',
        url: `/members/:id/${verb}`,
        operationId: `${verb}Member`,
        summary:
          verb === 'deactivate'
            ? 'Deactivates a manual member: frees their seat and ends their sessions.'
            : 'Reactivates a manual member if a seat is free (409 otherwise).',
        tag: 'Members',
        params: ID_PARAMS,
        response: { status: 200, description: 'The member after the change.', schema: MEMBER_WRITE_SCHEMA },
        errors: [404, 409],
        handler: async (request) => {
          const actor = actorOf(request);
          const id = (request.params as { id: string }).id;
          const result = verb === 'deactivate' ? await deps.directory.deactivateMember(actor, id) : await deps.directory.reactivateMember(actor, id);
          return memberWrite(deps, actor.accountId, result);
        },
      }),
    ),
    {
      method: 'GET',
      url: '/teams',
      operationId: 'listTeams',
      summary: 'Teams with their member counts and source, by name.',
      tag: 'Teams',
      response: { status: 200, description: 'The teams.', schema: { type: 'object', properties: { items: { type: 'array', items: TEAM_SCHEMA } } } },
      handler: async (request) => ({ items: await deps.directory.listTeams(sessionOf(request).accountId) }),
    },
    {
      method: 'GET',
      url: '/teams/:id',
      operationId: 'getTeam',
      summary: 'One team with its members.',
      tag: 'Teams',
      params: ID_PARAMS,
      response: { status: 200, description: 'The team.', schema: { ...TEAM_SCHEMA, properties: { ...(TEAM_SCHEMA['properties'] as object), members: { type: 'array', items: MEMBER_SCHEMA } } } },
      errors: [404],
      handler: async (request) => deps.directory.getTeam(sessionOf(request).accountId, (request.params as { id: string }).id),
    },
  ];
}
