import { DomainError } from '@gw/errors';
import type { DeadLetterSelectionDto } from './dto/dead-letters.dto';

/**
 * The queues whose dead letters operators manage: `sms-submit` (sms-connector SUBMIT_QUEUE, job id
 * = message id) and `callbacks` (workers CALLBACK_QUEUE, job id = outbox event id). `projectScoped`:
 * the job data carries `project_id`, so lists, replays and purges filter by project.
 */
export const DEAD_LETTER_QUEUES = {
  'sms-submit': { projectScoped: false },
  callbacks: { projectScoped: true },
} as const;

export type DeadLetterQueue = keyof typeof DEAD_LETTER_QUEUES;

/** @throws DomainError not_found naming the queue when it has no dead-letter queue here */
export function deadLetterQueue(name: string): DeadLetterQueue {
  if (!Object.hasOwn(DEAD_LETTER_QUEUES, name)) {
    throw DomainError.notFound(`dead-letter queue '${name.slice(0, 64)}' (known: ${Object.keys(DEAD_LETTER_QUEUES).join(', ')})`);
  }
  return name as DeadLetterQueue;
}

/**
 * The data filter of a project (null: none). `field` is the request field named in the error.
 * @throws DomainError validation_failed naming `field` when the queue's jobs carry no project id
 */
export function projectFilter(
  queue: DeadLetterQueue,
  projectId: string | undefined,
  field = 'project_id',
): ((data: unknown) => boolean) | null {
  if (!projectId) return null;
  if (!DEAD_LETTER_QUEUES[queue].projectScoped) throw DomainError.invalid(field, `${queue} dead letters carry no project id`);
  return (data) => typeof data === 'object' && data !== null && (data as { project_id?: unknown }).project_id === projectId;
}

/** What a replay or purge covers: the listed ids, or every dead letter passing the project filter. */
export type Selection = { ids: string[] } | { all: true; projectId?: string };

/**
 * Reads a replay or purge body: exactly one of `ids` and `all: true`; `project_id` only with `all`.
 * @throws DomainError validation_failed naming `ids` or `project_id`
 */
export function selectionOf(dto: DeadLetterSelectionDto): Selection {
  if (dto.ids && dto.all) throw DomainError.invalid('ids', 'give either ids or all: true, not both');
  if (dto.ids) {
    if (dto.project_id) throw DomainError.invalid('project_id', 'filters only all: true');
    return { ids: dto.ids };
  }
  if (dto.all) return dto.project_id ? { all: true, projectId: dto.project_id } : { all: true };
  throw DomainError.invalid('ids', 'give ids or all: true');
}

/** Opaque list cursor over a dead-letter queue: the list position of the next page. */
export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(JSON.stringify(['dlq', offset])).toString('base64url');
}

/** @throws DomainError validation_failed naming `cursor` when it is not one encodeOffsetCursor issued */
export function decodeOffsetCursor(cursor: string): number {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v[0] === 'dlq' && Number.isSafeInteger(v[1]) && (v[1] as number) >= 0) return v[1] as number;
  } catch {
    // reported below
  }
  throw DomainError.invalid('cursor', 'is not a cursor this API issued');
}
