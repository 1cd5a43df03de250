/**
 * The seed corpus of the fuzzer: the requests Okta, Entra ID, OneLogin and JumpCloud really send,
 * transcribed from /work/shared/reference/okta.md and entra-onelogin-jumpcloud.md (section numbers
 * in the comments), aimed at users and groups that exist in the fuzzed account when possible.
 */
import type { Random } from './random.js';

/** Which credentials a request carries; the fuzzed account's key unless a mutation changed it. */
export type Credential = 'account' | 'none' | 'garbage' | 'basic' | 'other-account' | 'professional';

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  /** A JSON body (serialised by the sender), or a raw text body when `raw` is set. */
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers: Record<string, string>;
  /** Which seed request this came from, for the summary and for failure reports. */
  readonly label: string;
  readonly auth?: Credential;
}

/** What the fuzzer knows about the fuzzed account, from earlier answers. */
export interface World {
  readonly users: { id: string; userName: string }[];
  readonly groups: { id: string; displayName: string }[];
  /** Ids of another account: must behave as unknown ids here. */
  readonly foreignIds: string[];
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LEGACY_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

const OKTA = { 'user-agent': 'Okta SCIM Client 1.0.0', accept: 'application/scim+json', 'content-type': 'application/scim+json; charset=utf-8' };
const ENTRA = { 'user-agent': 'Microsoft Entra ID Provisioning Service', accept: 'application/scim+json', 'content-type': 'application/scim+json' };
const ONELOGIN = { 'user-agent': 'OneLogin SCIM Provisioner', accept: 'application/json', 'content-type': 'application/json' };
const JUMPCLOUD = { 'user-agent': 'JumpCloud SCIM Client', accept: 'application/scim+json', 'content-type': 'application/scim+json' };
/** Entra sends DELETE with no media type and no body (§1). */
const ENTRA_DELETE = { 'user-agent': ENTRA['user-agent'] };

/** encodeURIComponent throws on an unpaired surrogate, which a stored name may hold. */
const encode = (text: string): string => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
/** Entra's query encoding: form-encoded, spaces as `+` (entra §1). */
const form = (text: string): string => encode(text).replace(/%20/g, '+');
const patch = (...operations: unknown[]) => ({ schemas: [PATCH], Operations: operations });

type Seed = (rng: Random, world: World) => FuzzRequest;

function userId(rng: Random, world: World): string {
  if (world.users.length > 0 && rng.chance(0.8)) return rng.pick(world.users).id;
  // Okta's spec test probes ids that are not UUIDs (okta.md §4); foreign ids must look unknown.
  return rng.pick(['010101001010101011001010101011', '00919288221112222', ...world.foreignIds, rng.uuid()]);
}

function groupId(rng: Random, world: World): string {
  if (world.groups.length > 0 && rng.chance(0.8)) return rng.pick(world.groups).id;
  return rng.pick([...world.foreignIds, rng.uuid()]);
}

function newUserName(rng: Random): string {
  return `${rng.pick(['test.user', 'Jane.Doe', 'Test_User', 'dale.mohr'])}.${rng.token(6)}@${rng.pick(['okta.local', 'testuser.com', 'romaguera.uk'])}`;
}

/** An existing userName in a random letter case (userName is caseExact false), or a new one. */
function someUserName(rng: Random, world: World): string {
  if (world.users.length === 0 || rng.chance(0.3)) return newUserName(rng);
  const name = rng.pick(world.users).userName;
  return rng.chance(0.3) ? name.toUpperCase() : name;
}

function members(rng: Random, world: World, max: number): { value: string; display?: string }[] {
  const count = rng.int(max + 1);
  return Array.from({ length: count }, () => {
    const user = world.users.length > 0 && rng.chance(0.9) ? rng.pick(world.users) : { id: userId(rng, world), userName: 'x' };
    return rng.chance(0.5) ? { value: user.id, display: user.userName } : { value: user.id };
  });
}

const okta: Seed[] = [
  // §2 Test API Credentials, §8 import paging.
  () => ({ label: 'okta.test-credentials', method: 'GET', path: '/Users?startIndex=1&count=2', headers: OKTA }),
  () => ({ label: 'okta.groups-page', method: 'GET', path: '/Groups?startIndex=1&count=100', headers: OKTA }),
  (rng) => ({ label: 'okta.import', method: 'GET', path: `/Users?startIndex=${1 + 100 * rng.int(3)}&count=100`, headers: OKTA }),
  // §3.1 lookup before create (both encodings).
  (rng, world) => ({ label: 'okta.lookup', method: 'GET', path: `/Users?filter=${encode(`userName eq "${someUserName(rng, world)}"`)}&startIndex=1&count=100`, headers: OKTA }),
  (rng, world) => ({ label: 'okta.lookup-form', method: 'GET', path: `/Users?filter=${form(`userName eq "${someUserName(rng, world)}"`)}`, headers: OKTA }),
  // §3.2 create.
  (rng, world) => {
    const userName = rng.chance(0.85) ? newUserName(rng) : someUserName(rng, world);
    const body = {
      schemas: [USER],
      userName,
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: `00u${rng.token(17)}`,
      groups: [],
      password: rng.token(8),
      active: true,
    };
    return { label: 'okta.create-user', method: 'POST', path: '/Users', body, headers: OKTA };
  },
  (rng, world) => ({ label: 'okta.get-user', method: 'GET', path: `/Users/${userId(rng, world)}`, headers: OKTA }),
  // §5 PUT with the object Okta read, including id, meta, groups and password.
  (rng, world) => {
    const id = userId(rng, world);
    const userName = world.users.find((u) => u.id === id)?.userName ?? newUserName(rng);
    const body = {
      schemas: [USER],
      id,
      userName,
      name: { givenName: rng.pick(['Test', 'Changed', '']), familyName: 'User' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      phoneNumbers: rng.chance(0.3) ? [{ value: rng.pick(['555-555-5555', '+41 441234567']), type: 'work' }] : undefined,
      displayName: 'Test User',
      active: rng.chance(0.8),
      groups: [],
      password: 'x',
      meta: { resourceType: 'User', created: '2018-01-01T00:00:00Z', lastModified: '2018-01-01T00:00:00Z', version: 'W/"1"' },
    };
    return { label: 'okta.put-user', method: 'PUT', path: `/Users/${id}`, body, headers: OKTA };
  },
  // §6 deactivate / reactivate: path-less replace with an object value.
  (rng, world) => ({ label: 'okta.set-active', method: 'PATCH', path: `/Users/${userId(rng, world)}`, body: patch({ op: 'replace', value: { active: rng.chance(0.5) } }), headers: OKTA }),
  // §7.1 find / create group.
  (rng, world) => {
    const name = world.groups.length > 0 && rng.chance(0.5) ? rng.pick(world.groups).displayName : 'Test SCIMv2';
    return { label: 'okta.group-lookup', method: 'GET', path: `/Groups?filter=${encode(`displayName eq "${name}"`)}&startIndex=1&count=100`, headers: OKTA };
  },
  (rng, world) => ({
    label: 'okta.create-group',
    method: 'POST',
    path: '/Groups',
    body: { schemas: [GROUP], displayName: rng.chance(0.9) ? `Test SCIMv2 ${rng.token(5)}` : 'Test SCIMv2', members: members(rng, world, 3) },
    headers: OKTA,
  }),
  // §7.3 rename with the group id inside the value.
  (rng, world) => {
    const id = groupId(rng, world);
    return { label: 'okta.rename-group', method: 'PATCH', path: `/Groups/${id}`, body: patch({ op: 'replace', value: { id, displayName: `Renamed ${rng.token(4)}` } }), headers: OKTA };
  },
  // §7.4 several removes and one add in one request.
  (rng, world) => ({
    label: 'okta.membership',
    method: 'PATCH',
    path: `/Groups/${groupId(rng, world)}`,
    body: patch(
      ...members(rng, world, 2).map((m) => ({ op: 'remove', path: `members[value eq "${m.value}"]` })),
      { op: 'add', path: 'members', value: members(rng, world, 3) },
    ),
    headers: OKTA,
  }),
  // §7.4 Push Now replaces the whole list (possibly with []).
  (rng, world) => ({ label: 'okta.push-now', method: 'PATCH', path: `/Groups/${groupId(rng, world)}`, body: patch({ op: 'replace', path: 'members', value: members(rng, world, 4) }), headers: OKTA }),
  (rng, world) => ({ label: 'okta.put-group', method: 'PUT', path: `/Groups/${groupId(rng, world)}`, body: { schemas: [GROUP], displayName: `Put ${rng.token(5)}`, members: members(rng, world, 3) }, headers: OKTA }),
  (rng, world) => ({ label: 'okta.delete-group', method: 'DELETE', path: `/Groups/${groupId(rng, world)}`, headers: OKTA }),
];

const entra: Seed[] = [
  // §3.1 Test Connection with a random GUID.
  (rng) => ({ label: 'entra.test-connection', method: 'GET', path: `/Users?filter=${form(`userName eq "${rng.uuid()}"`)}`, headers: ENTRA }),
  // §3.3 create (with meta and roles: []; active sometimes the string "True").
  (rng) => {
    const userName = `Test_User_${rng.token(8)}`;
    const body = {
      schemas: [USER, ENTERPRISE],
      externalId: rng.uuid(),
      userName,
      active: rng.pick([true, 'True', 'true']),
      emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      ...(rng.chance(0.3) ? { [ENTERPRISE]: { manager: rng.pick(['123456', '']) , department: 'Events' } } : {}),
    };
    return { label: 'entra.create-user', method: 'POST', path: '/Users', body, headers: ENTRA };
  },
  // §3.3 "Example 2": null-valued and non-core attributes, a misspelt extension URN.
  (rng) => ({
    label: 'entra.create-user-nulls',
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      userName: `UserName${rng.token(6)}`,
      active: true,
      addresses: null,
      displayName: 'Display Name',
      emails: [{ type: 'work', value: `${rng.token(6)}@contoso.com`, primary: true }],
      meta: { resourceType: 'User' },
      name: { familyName: 'familyName', givenName: 'givenName' },
      phoneNumbers: null,
      preferredLanguage: null,
      title: null,
      department: null,
      manager: null,
    },
    headers: ENTRA,
  }),
  // §3.5 default-mode replaces, one op per attribute.
  (rng, world) => ({
    label: 'entra.patch-replace',
    method: 'PATCH',
    path: `/Users/${userId(rng, world)}`,
    body: patch(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: `updated.${rng.token(5)}@microsoft.com` },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: rng.token(4) },
    ),
    headers: ENTRA,
  }),
  (rng, world) => ({ label: 'entra.patch-username', method: 'PATCH', path: `/Users/${userId(rng, world)}`, body: patch({ op: 'Replace', path: 'userName', value: `${rng.token(6)}@testuser.com` }), headers: ENTRA }),
  (rng, world) => ({ label: 'entra.add-nickname', method: 'PATCH', path: `/Users/${userId(rng, world)}`, body: patch({ op: rng.pick(['Add', 'add']), path: 'nickName', value: 'Babs' }), headers: ENTRA }),
  // §3.6 the flag's path-less replace with dotted and URN keys.
  (rng, world) => ({
    label: 'entra.pathless-dotted',
    method: 'PATCH',
    path: `/Users/${userId(rng, world)}?aadOptscim062020`,
    body: patch(
      { op: 'replace', path: 'emails[type eq "work"].value', value: `${rng.token(5)}@contoso.com` },
      { op: 'replace', value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENTERPRISE}:employeeNumber`]: 'Aklq' } },
    ),
    headers: ENTRA,
  }),
  // §3.6 disable: string "False" by default, boolean with the flag.
  (rng, world) => ({ label: 'entra.disable', method: 'PATCH', path: `/Users/${userId(rng, world)}`, body: patch({ op: 'Replace', path: 'active', value: rng.pick(['False', 'True', false, true, 'false']) }), headers: ENTRA }),
  // §3.5 roles as a JSON string inside value (AppRoleAssignmentsComplex).
  (rng, world) => ({
    label: 'entra.roles',
    method: 'PATCH',
    path: `/Users/${userId(rng, world)}`,
    body: patch({ op: 'Add', path: 'roles', value: [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}' }] }),
    headers: ENTRA,
  }),
  // §3.8 manager: array with $ref, URN path with a plain string, cleared with "".
  (rng, world) => {
    const manager = userId(rng, world);
    const op = rng.pick([
      { op: 'Add', path: 'manager', value: [{ $ref: `http://example.com/scim/Users/${manager}`, value: manager }] },
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager },
      { op: 'replace', path: `${ENTERPRISE}:manager`, value: '' },
    ]);
    return { label: 'entra.manager', method: 'PATCH', path: `/Users/${userId(rng, world)}`, body: patch(op), headers: ENTRA };
  },
  (rng, world) => ({ label: 'entra.manager-query', method: 'GET', path: `/Users?filter=${form(`id eq "${userId(rng, world)}" and manager eq "${userId(rng, world)}"`)}&attributes=id`, headers: ENTRA }),
  (rng, world) => ({ label: 'entra.email-filter', method: 'GET', path: `/Users?filter=${form(`emails[type eq "work"].value eq "${someUserName(rng, world)}"`)}`, headers: ENTRA }),
  // §3.5 clearing: "" then null; §3.5 filtered paths that create elements.
  (rng, world) => ({ label: 'entra.clear', method: 'PATCH', path: `/Users/${userId(rng, world)}`, body: patch({ op: 'replace', path: rng.pick(['title', 'displayName', 'nickName', 'name.givenName', `${ENTERPRISE}:department`]), value: rng.pick(['', null]) }), headers: ENTRA }),
  (rng, world) => ({
    label: 'entra.address',
    method: 'PATCH',
    path: `/Users/${userId(rng, world)}`,
    body: patch({ op: 'Add', path: `addresses[type eq "work"].${rng.pick(['streetAddress', 'locality', 'region', 'postalCode', 'country', 'formatted'])}`, value: rng.token(6) }),
    headers: ENTRA,
  }),
  (rng, world) => ({ label: 'entra.phone', method: 'PATCH', path: `/Users/${userId(rng, world)}`, body: patch({ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: rng.pick(['+41 441234567', '55555555555', '+1 5555551234']) }), headers: ENTRA }),
  // §3.9 groups: legacy schema marker, excludedAttributes, $ref null, value-list removes.
  (rng) => ({
    label: 'entra.create-group',
    method: 'POST',
    path: '/Groups',
    body: { schemas: [GROUP, LEGACY_GROUP], externalId: rng.uuid(), displayName: `displayName ${rng.token(5)}`, meta: { resourceType: 'Group' } },
    headers: ENTRA,
  }),
  (rng, world) => ({ label: 'entra.get-group', method: 'GET', path: `/Groups/${groupId(rng, world)}?excludedAttributes=members`, headers: ENTRA }),
  (rng, world) => {
    const name = world.groups.length > 0 ? rng.pick(world.groups).displayName : 'displayName';
    return { label: 'entra.find-group', method: 'GET', path: `/Groups?excludedAttributes=members&filter=${form(`displayName eq "${name}"`)}`, headers: ENTRA };
  },
  (rng, world) => ({ label: 'entra.add-members', method: 'PATCH', path: `/Groups/${groupId(rng, world)}`, body: patch({ op: 'Add', path: 'members', value: members(rng, world, 4).map((m) => ({ $ref: null, value: m.value })) }), headers: ENTRA }),
  (rng, world) => ({ label: 'entra.remove-members', method: 'PATCH', path: `/Groups/${groupId(rng, world)}`, body: patch({ op: 'Remove', path: 'members', value: members(rng, world, 3).map((m) => ({ value: m.value })) }), headers: ENTRA }),
  (rng, world) => ({ label: 'entra.rename-group', method: 'PATCH', path: `/Groups/${groupId(rng, world)}`, body: patch({ op: 'Replace', path: 'displayName', value: `updatedDisplayName ${rng.token(4)}` }), headers: ENTRA }),
  (rng, world) => ({ label: 'entra.delete-user', method: 'DELETE', path: `/Users/${userId(rng, world)}`, headers: ENTRA_DELETE }),
  // §3.11 discovery; §5 Postman filters and paging.
  (rng) => ({ label: 'entra.discovery', method: 'GET', path: rng.pick(['/Schemas', '/ResourceTypes', '/ServiceProviderConfig', `/Schemas/${USER}`, `/Schemas/${ENTERPRISE}`, `/Schemas/${GROUP}`, '/ResourceTypes/User']), headers: ENTRA }),
  (rng) => ({
    label: 'entra.postman-filter',
    method: 'GET',
    path: `/Users?filter=${encode(rng.pick(['userName sw "Test"', 'displayName co "User"', 'meta.lastModified gt "2011-05-13T04:42:34Z"', 'userName eq "a" or userName eq "b"', 'DisplayName eq "BobIsAmazing"']))}&startIndex=1&count=2&attributes=userName,emails`,
    headers: ENTRA,
  }),
  (rng, world) => ({ label: 'entra.postman-remove-all', method: 'PATCH', path: `/Groups/${groupId(rng, world)}`, body: patch({ op: 'remove', path: 'members' }), headers: ENTRA }),
];

const others: Seed[] = [
  // OneLogin §7.1: rendered JSON templates with string booleans, "id": null, core 1.0 schemas.
  (rng) => {
    const userName = `${rng.token(6)}@onelogin.example.com`;
    const body = {
      schemas: rng.chance(0.8) ? [USER] : ['urn:scim:schemas:core:1.0'],
      id: null,
      userName,
      name: { givenName: 'One', familyName: 'Login' },
      emails: [{ value: userName, primary: true }],
      active: rng.pick(['true', 'false', true]),
      ...(rng.chance(0.2) ? { [ENTERPRISE]: { manager: { managerId: '1234' } } } : {}),
    };
    return { label: 'onelogin.create-user', method: 'POST', path: '/Users', body, headers: ONELOGIN };
  },
  (rng, world) => ({ label: 'onelogin.patch-group', method: 'PATCH', path: `/Groups/${groupId(rng, world)}`, body: patch({ op: 'add', path: 'members', value: members(rng, world, 2) }), headers: ONELOGIN }),
  () => ({ label: 'onelogin.list-groups', method: 'GET', path: '/Groups', headers: ONELOGIN }),
  // JumpCloud §7.2: Test Connection creates a real user and group.
  (rng) => ({ label: 'jumpcloud.test-user', method: 'POST', path: '/Users', body: { schemas: [USER], userName: `jc.test.${rng.token(6)}@example.com`, emails: [{ value: 'jc@example.com', type: 'work', primary: true }], name: { givenName: 'JC', familyName: 'Test' } }, headers: JUMPCLOUD }),
  (rng) => ({ label: 'jumpcloud.test-group', method: 'POST', path: '/Groups', body: { schemas: [GROUP], displayName: `JumpCloud Test ${rng.token(6)}` }, headers: JUMPCLOUD }),
];

/** Every seed request, weighted by how often the IdPs send it. */
export const SEEDS: readonly Seed[] = [...okta, ...okta, ...entra, ...entra, ...others];
