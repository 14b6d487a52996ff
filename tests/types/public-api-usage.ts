/**
 * A front end's use of types/public-api.d.ts. Compiled by `npm run typecheck` (tests/tsconfig.json),
 * never run: if the generated types lose what front ends rely on, or start claiming something the
 * API does not do, the typecheck fails.
 */
import type { components, paths } from '../../types/public-api';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type ProjectList = Json<paths['/projects']['get']['responses'][200]>;
export type Project = ProjectList['data'][number];
export type ProjectQuery = NonNullable<paths['/projects']['get']['parameters']['query']>;
export type SearchResults = components['schemas']['SearchResults'];
export type District = Json<paths['/district-profile']['get']['responses'][200]>['data'];

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type Checks = [
  // Always there, whatever `fields` asks for.
  Expect<Equal<Project['documentId'], string>>,
  // Required by the model, so never null, but `fields` may leave it out.
  Expect<Equal<Project['title'], string | undefined>>,
  // Optional in the model: null when unset.
  Expect<Equal<Project['code'], string | null | undefined>>,
  Expect<Equal<Project['park'], components['schemas']['ApiParkParkDocument'] | null | undefined>>,
  // Our extras are documented.
  Expect<Equal<ProjectQuery['fallback'], boolean | undefined>>,
  Expect<Equal<ProjectQuery['near'], string | undefined>>,
  Expect<Equal<ProjectQuery['radius'], number | undefined>>,
  Expect<Equal<Project['distanceKm'], number | undefined>>,
  // Public callers cannot ask for drafts, write, or see the private contact.
  Expect<Equal<'status' extends keyof ProjectQuery ? true : false, false>>,
  Expect<Equal<paths['/projects']['post'], undefined>>,
  Expect<Equal<paths['/projects/{documentId}']['delete'], undefined>>,
  Expect<Equal<'contact' extends keyof Project ? true : false, false>>,
  Expect<Equal<'contact' extends keyof components['schemas']['ApiProjectProjectDocument'] ? true : false, false>>,
];

/** What a project card needs, typed from the API alone. */
export const projectCard = (project: Project) => ({
  href: `/projects/${project.documentId}`,
  title: project.title ?? '',
  park: project.park?.name ?? null,
  areaMu: project.landAreaMu ?? null,
  distanceKm: project.distanceKm,
});

export const firstHighlight = (result: SearchResults['data'][number]) => Object.values(result.highlights)[0] ?? '';

export const headline = (district: District) => district.name ?? '';

/** A typed fetch of the projects list. */
export const fetchProjects = async (base: string, query: ProjectQuery): Promise<ProjectList> => {
  const params = new URLSearchParams(
    Object.entries(query).flatMap(([name, value]): [string, string][] =>
      value === undefined ? [] : [[name, String(value)]],
    ),
  );
  const response = await fetch(`${base}/projects?${params}`);
  return (await response.json()) as ProjectList;
};
