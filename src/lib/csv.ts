/**
 * CSV for spreadsheet users: RFC 4180 quoting, a BOM so Excel reads UTF-8 (Chinese) correctly,
 * and cells that a spreadsheet would run as a formula (=, +, -, @) neutralised with a quote.
 */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

const FORMULA = /^[=+\-@\t\r]/;

export const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  let text =
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsv = <T>(rows: T[], columns: Column<T>[]): string =>
  '\uFEFF' +
  [
    columns.map(({ header }) => csvCell(header)).join(','),
    ...rows.map((row) => columns.map(({ value }) => csvCell(value(row))).join(',')),
  ]
    .map((line) => `${line}\r\n`)
    .join('');
