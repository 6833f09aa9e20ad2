/**
 * Byte order, as PostgreSQL's "C" collation sorts: lists merged from stored rows (ordered by the
 * database) and rows built here must agree, and localeCompare does not (nor is it cheap on 5,000 ids).
 * Names reaching this are ASCII (validated), where UTF-16 and UTF-8 order are the same.
 */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
