import type { PagePosition } from '@gw/routing';
import { decodeCursor, encodeCursor } from '../../common/cursor';

/** Where the page a cursor continues starts (see encodeCursor). @throws DomainError validation_failed naming `cursor` */
export function positionOf(cursor: string | undefined): PagePosition | undefined {
  if (cursor === undefined) return undefined;
  const [createdAt, id] = decodeCursor(cursor);
  return { createdAt, id };
}

/** The API cursor of the next page; null on the last page. */
export function cursorOf(next: PagePosition | null): string | null {
  return next ? encodeCursor(next.createdAt, next.id) : null;
}
