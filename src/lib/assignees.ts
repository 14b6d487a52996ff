/**
 * The assignment picker's list of people: what the UI needs (an id and a display name), never an
 * e-mail address, and only for someone who may assign work (the rule workflow.assign applies to
 * one document: may edit, review or publish it).
 */
import type { Capabilities } from './workflow';

export interface Person {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
}

/** A name to show: never the e-mail address, which is not for every editor to harvest. */
export const displayName = (person: Person) =>
  [person.firstname, person.lastname].filter(Boolean).join(' ') || person.username || `#${person.id}`;

export const assigneeList = (people: Person[]) =>
  people.map((person) => ({ id: person.id, name: displayName(person) }));

/** Someone who may edit, review or publish anything may assign it. */
export const mayAssignSomething = (capabilities: Capabilities[]) =>
  capabilities.some(({ edit, review, publish }) => edit || review || publish);

/** A person as the editorial panel and queue show them: no e-mail address. */
export const shownPerson = (person: Person | null | undefined) =>
  person ? { id: person.id, firstname: person.firstname ?? null, lastname: person.lastname ?? null } : null;
