/**
 * Mutations of a real IdP request: structural (JSON values, keys, PATCH paths, filters),
 * textual (broken JSON bytes) and HTTP-level (media type, auth, method, query). Each returns a
 * new request; the seed is never changed in place.
 */
import type { Credential, FuzzRequest } from './idp-requests.js';
import type { Random } from './random.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings that stress storage and encoding: NUL, unpaired surrogates, long multi-byte text, markup. */
function hostileString(rng: Random, original: string): string {
  return rng.pick<() => string>([
    () => `${original}\u0000`,
    () => `\u0000${original}`,
    () => `${original}\uD800`,
    () => `\uDFFF${original}`,
    // 1,024 characters (the validator's limit) of 4-byte UTF-8: 4 KB in an indexed column.
    () => Array.from({ length: 1024 }, (_, i) => String.fromCodePoint(0x20000 + ((i * 7919 + rng.int(1000)) % 40000))).join(''),
    () => Array.from({ length: 700 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 31 + rng.int(100)) % 20000))).join(''),
    () => 'İ'.repeat(1024),
    () => `${original}${'a'.repeat(Math.max(0, 1024 - original.length))}`,
    () => original.toUpperCase(),
    () => `  ${original}  `,
    () => `${original}\u202e\u0301\uFEFF`,
    () => '',
  ])();
}

/** Every string leaf of `value` (object values and array items), with a setter. */
function stringLeaves(value: Json): { value: string; set: (next: Json) => void }[] {
  const leaves: { value: string; set: (next: Json) => void }[] = [];
  for (const container of containers(value)) {
    const entries: [string | number, Json][] = Array.isArray(container) ? container.map((item, i) => [i, item]) : Object.entries(container);
    for (const [key, item] of entries) {
      if (typeof item === 'string') leaves.push({ value: item, set: (next) => ((container as Record<string | number, Json>)[key] = next) });
    }
  }
  return leaves;
}

/** A copy of `body` with one string value replaced by a hostile one. */
function mutateLeaf(rng: Random, body: Json): Json | undefined {
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  const leaves = stringLeaves(copy);
  if (leaves.length === 0) return undefined;
  const leaf = rng.pick(leaves);
  leaf.set(hostileString(rng, leaf.value));
  return copy;
}

/** Values an attacker or a buggy IdP template puts where a string or object was expected. */
function hostileValue(rng: Random): Json {
  return rng.pick<() => Json>([
    () => null,
    () => rng.pick([true, false, 'True', 'FALSE', 'yes', 0, 1, -1]),
    () => rng.pick([1e308, -0, 2 ** 53 + 1, 0.5, Number.MAX_SAFE_INTEGER]),
    () => '',
    () => ' '.repeat(rng.int(5)),
    () => 'x'.repeat(rng.pick([1025, 5000, 20000])),
    () => '𠜎'.repeat(rng.pick([500, 1024, 1025])),
    () => rng.pick(['\u202e\u0301', '<script>alert(1)</script>', "'; drop table members; --", '%00', '\\u0000', '../../etc/passwd', '{{7*7}}', '${jndi:ldap://x}']),
    () => [],
    () => [rng.token(), rng.token()],
    () => ({}),
    () => ({ value: rng.token() }),
    () => Array.from({ length: rng.pick([21, 200]) }, (_, i) => ({ value: `v${i}@example.com`, type: `t${i}` })),
    () => nested(rng),
  ])();
}

function nested(rng: Random): Json {
  const depth = rng.pick([10, 65, 1000]);
  let value: Json = rng.token();
  for (let i = 0; i < depth; i += 1) value = rng.chance(0.5) ? [value] : { a: value };
  return value;
}

/** Every object and array inside `value`, with a way to change it. */
function containers(value: Json): (Json[] | { [key: string]: Json })[] {
  const found: (Json[] | { [key: string]: Json })[] = [];
  const pending: Json[] = [value];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next !== 'object' || next === null) continue;
    found.push(next);
    pending.push(...(Array.isArray(next) ? next : Object.values(next)));
  }
  return found;
}

/** One random structural change somewhere in a copy of `body`. */
function mutateJson(rng: Random, body: Json): Json {
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  const targets = containers(copy);
  if (targets.length === 0) return hostileValue(rng);
  const target = rng.pick(targets);
  if (Array.isArray(target)) {
    const action = rng.int(4);
    if (action === 0 && target.length > 0) target.splice(rng.int(target.length), 1);
    else if (action === 1) target.push(rng.chance(0.5) ? hostileValue(rng) : nested(rng));
    else if (action === 2 && target.length > 0) target[rng.int(target.length)] = hostileValue(rng);
    else target.push(...target.slice(0, 50));
    return copy;
  }
  const keys = Object.keys(target);
  const key = keys.length > 0 ? rng.pick(keys) : 'userName';
  switch (rng.int(7)) {
    case 0:
      delete target[key];
      break;
    case 1:
      target[key] = hostileValue(rng);
      break;
    case 2:
      // Same attribute twice in another letter case: attribute names are case-insensitive.
      target[rng.chance(0.5) ? key.toUpperCase() : key.replace(/^./, (c) => c.toUpperCase())] = target[key] ?? null;
      break;
    case 3:
      target[rng.pick(['unknownAttr', 'adreses', 'urn:ietf:params:scim:schemas:extension:custom:2.0:User:badge', 'meta', 'id', 'groups', 'members', 'schemas'])] = hostileValue(rng);
      break;
    case 4:
      target[key] = nested(rng);
      break;
    case 5:
      target[key] = [target[key] ?? null];
      break;
    default:
      if (typeof target[key] === 'string') target[key] = mutateText(rng, target[key]);
      else target[key] = rng.token();
  }
  return copy;
}

/** Small edits of a string: PATCH paths, filters, ids and values all go through this. */
function mutateText(rng: Random, text: string): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(8)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + rng.int(3));
    case 1:
      return text.slice(0, at) + rng.pick(['"', '[', ']', '(', ')', '.', ':', ' ', '\\', ' and ', ' or ', ' not ', ' eq ', ' pr', '%', '+', '\u0000', '\uD800']) + text.slice(at);
    case 2:
      return text.toUpperCase();
    case 3:
      return text.replace(/ eq /g, ` ${rng.pick(['ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'xx', 'EQ'])} `);
    case 4:
      return `${text}${rng.pick(['.value', '[type eq "work"]', '.__proto__', '.constructor.prototype', '.sub.sub'])}`;
    case 5:
      return `${'('.repeat(rng.pick([3, 20, 200]))}${text}${')'.repeat(rng.int(3) === 0 ? 0 : rng.pick([3, 20, 200]))}`;
    case 6:
      return Array.from({ length: rng.pick([2, 51, 300]) }, () => text).join(rng.pick([' or ', ' and ', '']));
    default:
      return '';
  }
}

/** PATCH operations: change the op name, the path, or the number of operations. */
function mutatePatch(rng: Random, body: Json): Json | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(body['Operations'])) return undefined;
  const copy = JSON.parse(JSON.stringify(body)) as { [key: string]: Json };
  const operations = copy['Operations'] as { [key: string]: Json }[];
  const picked: Json = operations.length > 0 ? rng.pick(operations) : null;
  const operation = typeof picked === 'object' && picked !== null && !Array.isArray(picked) ? picked : undefined;
  switch (rng.int(5)) {
    case 0:
      if (operation) operation['op'] = rng.pick(['ADD', 'Remove', 'REPLACE', 'move', 'copy', 'test', '', 'add ']);
      break;
    case 1:
      if (operation) operation['path'] = typeof operation['path'] === 'string' ? mutateText(rng, operation['path']) : rng.pick(['__proto__.polluted', 'members[value eq', 'emails[type eq "work"]', 'name', 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName']);
      break;
    case 2:
      copy['Operations'] = Array.from({ length: rng.pick([0, 1001]) }, () => operation ?? { op: 'add', path: 'title', value: 'x' });
      break;
    case 3:
      copy['schemas'] = rng.pick([[], ['urn:ietf:params:scim:api:messages:2.0:PatchOp', 'urn:x'], 'urn:ietf:params:scim:api:messages:2.0:PatchOp']);
      break;
    default:
      if (operation) delete operation[rng.pick(['value', 'path', 'op'])];
  }
  return copy;
}

/** A query string with its filter or parameters edited. */
function mutateQuery(rng: Random, path: string): string {
  const [base = path, query = ''] = path.split('?');
  const params = new URLSearchParams(query);
  switch (rng.int(4)) {
    case 0: {
      const filter = params.get('filter') ?? 'userName eq "x"';
      params.set('filter', mutateText(rng, filter));
      break;
    }
    case 1:
      params.set(rng.pick(['count', 'startIndex']), rng.pick(['-1', '0', '99999999999999999999', 'abc', '1.5', '', '1e3']));
      break;
    case 2:
      params.set(rng.pick(['attributes', 'excludedAttributes', 'sortBy', 'sortOrder']), rng.pick(['__proto__', 'members', 'emails.value', 'x'.repeat(300), 'descending', 'name..givenName']));
      break;
    default:
      params.append(rng.pick(['filter', 'count', '__proto__', 'constructor[prototype]']), rng.token());
  }
  const text = params.toString();
  return text === '' ? base : `${base}?${text}`;
}

/** A request with its HTTP envelope changed: media type, credentials, method or URL. */
function mutateEnvelope(rng: Random, request: FuzzRequest): FuzzRequest {
  const headers = { ...request.headers };
  switch (rng.int(5)) {
    case 0:
      headers['content-type'] = rng.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/scim+json; charset=latin1', 'application/json;charset=UTF-8']);
      return { ...request, headers, label: `${request.label}+content-type` };
    case 1:
      return { ...request, headers, label: `${request.label}+auth`, auth: rng.pick<Credential>(['none', 'garbage', 'basic', 'other-account', 'professional']) };
    case 2:
      return { ...request, method: rng.pick(['PUT', 'PATCH', 'DELETE', 'POST', 'GET', 'HEAD', 'OPTIONS']), label: `${request.label}+method` };
    case 3:
      return { ...request, path: rng.pick([`${request.path}/extra`, request.path.replace(/\/(Users|Groups)/, '/$1/.search'), request.path.replace('/Users', '/users'), `${request.path}%2F..%2F..`, '/Bulk', '/Me', `/Users/${'a'.repeat(200)}`]), label: `${request.label}+url` };
    default:
      headers['if-match'] = rng.pick(['W/"1"', 'W/"999"', '*', '"garbage"', 'W/"-1"']);
      return { ...request, headers, label: `${request.label}+if-match` };
  }
}

/** A mutated copy of `request` (about half of the mutations keep the JSON parseable). */
export function mutate(rng: Random, request: FuzzRequest): FuzzRequest {
  const choice = rng.int(12);
  if (choice < 2 && request.body !== undefined) {
    const changed = mutateLeaf(rng, request.body as Json);
    if (changed !== undefined) return { ...request, body: changed, label: `${request.label}+string` };
  }
  if (choice < 4 && request.body !== undefined) return { ...request, body: mutateJson(rng, request.body as Json), label: `${request.label}+json` };
  if (choice < 6 && request.body !== undefined) {
    const patched = mutatePatch(rng, request.body as Json);
    if (patched !== undefined) return { ...request, body: patched, label: `${request.label}+patch` };
  }
  if (choice < 7 && request.body !== undefined) {
    const text = JSON.stringify(request.body);
    return { ...request, body: undefined, raw: mutateText(rng, text), label: `${request.label}+bytes` };
  }
  if (choice < 8 && request.path.includes('?')) return { ...request, path: mutateQuery(rng, request.path), label: `${request.label}+query` };
  return mutateEnvelope(rng, request);
}
