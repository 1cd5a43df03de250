import { v7 } from 'uuid';

/**
 * A new member's id: a UUIDv7 (RFC 9562 §5.7), whose first 48 bits are the creation time in
 * milliseconds, where `crypto.randomUUID` gives a v4 that is random throughout. Members created
 * one after another then sit next to each other in every index keyed by member id, as they do
 * in a page of /Users (ordered by creation): a page reads its members' teams from a few adjacent
 * pages of the membership index instead of 100 scattered ones, and a new member's entries go
 * to the end of the indexes (bench/README.md, finding 41). SCIM ids stay opaque strings to
 * clients (RFC 7643 §3.1); the creation time they carry is the resource's `meta.created`.
 */
export function newMemberId(): string {
  return v7();
}
