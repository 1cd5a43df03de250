import type { Scenario, Step } from './load.js';
import type { SeededDirectory } from './seed.js';
import { SMALL_TEAM_SIZE } from './seed.js';
import { emailOf, userBody, userNameOf } from './seed-rows.js';

const BASE = '/scim/v2';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A small deterministic PRNG (mulberry32), so two runs ask for the same users. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const filterQuery = (filter: string, extra = ''): string => `${BASE}/Users?filter=${encodeURIComponent(filter)}${extra}`;

/** Cycles through `[from, to)` across all connections, so concurrent requests name distinct members. */
function cycler(from: number, to: number): () => number {
  let next = from;
  return () => {
    const value = next;
    next = next + 1 >= to ? from : next + 1;
    return value;
  };
}

/** Adds one member to a team, then removes the same member: every request changes the team. */
function membershipSteps(directory: SeededDirectory, teamId: string, pick: () => number): Step[] {
  const path = `${BASE}/Groups/${teamId}`;
  return [
    (context) => {
      const memberId = directory.memberIds[pick()] ?? '';
      context['memberId'] = memberId;
      return { method: 'PATCH', path, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: memberId }] }] }) };
    },
    (context) => ({
      method: 'PATCH',
      path,
      body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${String(context['memberId'])}"]` }] }),
    }),
  ];
}

/** The fixed-body baseline request (any id: the baseline server ignores it). */
export function baselineScenario(): Scenario {
  return { name: 'baseline', label: 'baseline: bare Fastify, fixed SCIM user', steps: [() => ({ method: 'GET', path: `${BASE}/Users/2819c223-7f76-453a-919d-413861904646` })] };
}

/** The read scenarios of issue 6, in the order they run. */
export function readScenarios(directory: SeededDirectory): Scenario[] {
  const n = directory.memberIds.length;
  const rnd = random(6);
  const anyMember = () => Math.floor(rnd() * n);
  return [
    { name: 'get-user', label: 'GET /Users/{id}', steps: [() => ({ method: 'GET', path: `${BASE}/Users/${directory.memberIds[anyMember()] ?? ''}` })] },
    { name: 'filter-username', label: 'GET filter=userName eq', steps: [() => ({ method: 'GET', path: filterQuery(`userName eq "${userNameOf(anyMember())}"`) })] },
    { name: 'filter-email', label: 'GET filter=emails.value eq', steps: [() => ({ method: 'GET', path: filterQuery(`emails.value eq "${emailOf(anyMember())}"`) })] },
    { name: 'page-100', label: 'GET page of 100, random startIndex', steps: [() => ({ method: 'GET', path: `${BASE}/Users?startIndex=${1 + Math.floor(rnd() * (n - 99))}&count=100` })] },
    {
      name: 'filter-sw-page',
      label: 'GET filter=userName sw, page of 100',
      // user<6 digits>: the first four digits name a block of exactly 100 users.
      steps: [() => ({ method: 'GET', path: filterQuery(`userName sw "${userNameOf(Math.floor(rnd() * Math.floor(n / 100)) * 100).slice(0, 8)}"`, '&startIndex=1&count=100') })],
    },
    { name: 'group-get-big', label: `GET big team (${directory.bigTeamSize}) excl. members`, steps: [() => ({ method: 'GET', path: `${BASE}/Groups/${directory.bigTeamId}?excludedAttributes=members` })] },
    { name: 'group-get-small', label: `GET ${SMALL_TEAM_SIZE}-member team excl. members`, steps: [() => ({ method: 'GET', path: `${BASE}/Groups/${directory.smallTeamId}?excludedAttributes=members` })] },
  ];
}

/** The write scenarios; each request does real work (new userName, changed name, toggled state). */
export function writeScenarios(directory: SeededDirectory): Scenario[] {
  const n = directory.memberIds.length;
  const big = directory.bigTeamSize;
  const run = Date.now().toString(36);
  let created = 0;
  let replaced = 0;
  // PUT and PATCH use the last quarter of the directory; membership adds use members outside the team.
  const putPick = cycler(Math.floor(n * 0.75), Math.floor(n * 0.875));
  const patchPick = cycler(Math.floor(n * 0.875), n);
  return [
    {
      name: 'post-user',
      label: 'POST /Users',
      steps: [() => ({ method: 'POST', path: `${BASE}/Users`, body: JSON.stringify(userBody(n + (created % 100_000), `post-${run}-${created++}@bench.example`)) })],
    },
    {
      name: 'put-user',
      label: 'PUT /Users/{id}',
      steps: [
        () => {
          const i = putPick();
          const body = { ...userBody(i), displayName: `Renamed ${run} ${replaced++}` };
          return { method: 'PUT', path: `${BASE}/Users/${directory.memberIds[i] ?? ''}`, body: JSON.stringify(body) };
        },
      ],
    },
    {
      name: 'patch-user',
      label: 'PATCH /Users active false, then true',
      steps: [
        (context) => {
          const id = directory.memberIds[patchPick()] ?? '';
          context['id'] = id;
          return { method: 'PATCH', path: `${BASE}/Users/${id}`, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }) };
        },
        (context) => ({ method: 'PATCH', path: `${BASE}/Users/${String(context['id'])}`, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] }) }),
      ],
    },
    { name: 'member-patch-big', label: `PATCH add/remove member, ${big}-member team`, steps: membershipSteps(directory, directory.bigTeamId, cycler(big + SMALL_TEAM_SIZE, n)) },
    { name: 'member-patch-small', label: `PATCH add/remove member, ${SMALL_TEAM_SIZE}-member team`, steps: membershipSteps(directory, directory.smallTeamId, cycler(0, big)) },
  ];
}
