/**
 * The assignment picker's list of people: what the UI needs (an id and a display name), never an
 * e-mail address, and only for someone who may assign work (the rule workflow.assign applies to
 * one document: may review or publish it).
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

/**
 * Handing work to someone is for those who steer it, Reviewers and Publishers; Authors and
 * Translators do the work they are handed.
 */
export const mayAssign = ({ review, publish }: Capabilities) => review || publish;

/** Anyone with a part in the workflow of a document may comment on it. */
export const mayComment = ({ edit, review, publish }: Capabilities) => edit || review || publish;

/** Someone who may assign anything may see whom to assign it to. */
export const mayAssignSomething = (capabilities: Capabilities[]) => capabilities.some(mayAssign);

/** A person as the editorial panel and queue show them: no e-mail address. */
export const shownPerson = (person: Person | null | undefined) =>
  person ? { id: person.id, firstname: person.firstname ?? null, lastname: person.lastname ?? null } : null;
