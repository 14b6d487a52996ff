/**
 * A table cell whose text wraps: the design system's tables keep every cell on one line, so a long
 * title, to-do list or error message pushes the columns after it off a 1366 px laptop screen.
 */
export const WRAP = { whiteSpace: 'normal' } as const;
