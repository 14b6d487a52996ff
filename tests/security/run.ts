/**
 * Sends the probes (a few at a time) and judges the answers; failures are grouped by class so
 * that a broken rule reads as one line with an example, not thousands of assertions.
 */
import type { Probe } from './probes';

interface Answer {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } | undefined;
}

export interface Failure {
  probe: Probe;
  reason: string;
}

export interface RunResult {
  requests: number;
  answered: number;
  refused: number;
  failures: Failure[];
  seconds: number;
  /** refusals by transport, feature and status, for a reader checking what the probes reach */
  refusedBy: Map<string, number>;
}

const send = async (base: string, ask: { url: string; graphql?: string }, token?: string): Promise<Answer> => {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const response = ask.graphql
    ? await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: ask.graphql }),
      })
    : await fetch(`${base}${ask.url}`, { headers });
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
};

/** The documents an answer lists (in order), or undefined when it is a refusal (400, 401, 403, GraphQL errors). */
const documentsOf = (probe: Probe, answer: Answer): string[] | undefined => {
  // REST answers a document or single type it does not serve with 404: an empty answer.
  if (probe.transport === 'rest' && answer.status === 404) return [];
  if (answer.status !== 200 || !answer.body || answer.body.errors?.length) return undefined;
  const data =
    probe.transport === 'graphql' ? (answer.body.data as Record<string, unknown>)?.[probe.field!] : answer.body.data;
  return ([] as unknown[])
    .concat(data ?? [])
    .map((entry) => (entry as { documentId?: string } | null)?.documentId)
    .filter((id): id is string => !!id);
};

const serverError = (answer: Answer) =>
  answer.status >= 500 || !!answer.body?.errors?.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR');

/** Markers (`zq<tag>…`) in an answer that the request did not send itself. */
const leakedMarkers = (tag: string, request: string, answer: Answer) => {
  const sent = request.toLowerCase();
  return [...new Set(answer.text.match(new RegExp(`zq${tag}[0-9a-z]*`, 'gi')) ?? [])].filter(
    (marker) => !sent.includes(marker.toLowerCase()),
  );
};

const judge = (probe: Probe, tag: string, answer: Answer, control?: Answer): string | undefined => {
  if (serverError(answer) || (control && serverError(control)))
    return `server error ${answer.status}${control ? `/${control.status}` : ''}`;
  // A rate-limited probe tests nothing: the limit must not apply to the suite's own instance.
  if (answer.status === 429 || control?.status === 429) return 'rate limited (429): the probe tested nothing';
  const request = `${probe.url} ${probe.graphql ?? ''}`;
  const leaked = [
    ...leakedMarkers(tag, request, answer),
    ...(control ? leakedMarkers(tag, `${probe.control!.url} ${probe.control!.graphql ?? ''}`, control) : []),
  ];
  if (leaked.length) return `draft/private value in the answer (${leaked[0]})`;
  const ids = documentsOf(probe, answer);
  const { A, D, B } = probe.twins ?? {};
  switch (probe.oracle) {
    case 'twins':
      if (!ids) return undefined;
      if (ids.includes(B!)) return 'never-published document B listed';
      if (ids.includes(A!) !== ids.includes(D!))
        return 'twins A and D answered differently (depends on draft/private data)';
      return undefined;
    case 'order': {
      if (!ids) return undefined;
      const order = ids.filter((id) => id === A || id === D);
      if (order.length === 2 && order.join() !== probe.expected!.join())
        return 'order of twins depends on draft/private data';
      if (order.length !== 2) return 'twins A and D answered differently (depends on draft/private data)';
      return undefined;
    }
    case 'absent':
      return ids?.length ? 'never-published document served' : undefined;
    case 'pair': {
      const other = documentsOf(probe, control!);
      if (ids === undefined && other === undefined) return undefined;
      // A document A is compared with its twin D: answered alike, not with the same id.
      const same = probe.twins?.D ? ids?.length === other?.length : (ids ?? []).join() === (other ?? []).join();
      if (same) return undefined;
      const shown = (answer: Answer, listed?: string[]) => `${answer.status}:${listed?.length ?? '-'}`;
      return `answer differs from the control${probe.twins?.D ? " (twin D's)" : ''} (boolean oracle) ${shown(answer, ids)} vs ${shown(control!, other)}`;
    }
    default:
      return undefined;
  }
};

export const runProbes = async (
  base: string,
  probes: Probe[],
  options: { tag: string; token: string; concurrency: number },
): Promise<RunResult> => {
  const started = Date.now();
  const result: RunResult = { requests: 0, answered: 0, refused: 0, failures: [], seconds: 0, refusedBy: new Map() };
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const probe = probes[next];
      next += 1;
      const token = probe.auth === 'read-only' ? options.token : undefined;
      const answer = await send(base, probe, token);
      const control = probe.control ? await send(base, probe.control, token) : undefined;
      result.requests += control ? 2 : 1;
      if (documentsOf(probe, answer)) result.answered += 1;
      else {
        result.refused += 1;
        const key = `${probe.transport} ${probe.feature} → ${answer.status}`;
        result.refusedBy.set(key, (result.refusedBy.get(key) ?? 0) + 1);
      }
      const reason = judge(probe, options.tag, answer, control);
      if (reason) result.failures.push({ probe, reason });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.seconds = (Date.now() - started) / 1000;
  return result;
};

/** One line per failing class: count, transport and auths, feature, reason, the variants seen, an example. */
export const report = (failures: Failure[]): string[] => {
  const classes = new Map<
    string,
    { count: number; auths: Set<string>; details: Set<string>; types: Set<string>; example: Probe }
  >();
  for (const { probe, reason } of failures) {
    const key = `${probe.transport} ${probe.feature}: ${reason.replace(/ \(zq.*\)$/, '').replace(/ \d+:\S+ vs \d+:\S+$/, '')}`;
    const entry = classes.get(key) ?? {
      count: 0,
      auths: new Set(),
      details: new Set(),
      types: new Set(),
      example: probe,
    };
    entry.count += 1;
    entry.auths.add(probe.auth);
    if (probe.detail) entry.details.add(probe.detail);
    const answers = / (\d+:\S+ vs \d+:\S+)$/.exec(reason)?.[1];
    if (answers) entry.details.add(answers);
    entry.types.add(probe.type.replace(/^api::[^.]+\./, ''));
    classes.set(key, entry);
  }
  return [...classes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { count, auths, details, types, example }]) => {
      const shown = [...details].slice(0, 12).join(' ') + (details.size > 12 ? ' …' : '');
      const ask = example.graphql ? `POST /graphql ${example.graphql}` : `GET ${decodeURIComponent(example.url)}`;
      return `${String(count).padStart(5)} × ${key} [${[...auths].join('+')}; ${[...types].join(',')}${shown ? `; ${shown}` : ''}] e.g. ${ask}`;
    });
};
