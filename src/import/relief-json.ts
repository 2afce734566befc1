import { findNodeAtLocation, parseTree, type ParseError, printParseErrorCode, parse } from 'jsonc-parser';
import type { z } from 'zod';
import { diarySchema, type Diary } from '../domain/diary.js';
import { ImportError, type ImportProblem } from './errors.js';

/** Reads Relief's own JSON diary format (schema/diary.schema.json). */
export function parseReliefJson(text: string, source: string): Diary {
  const syntaxErrors: ParseError[] = [];
  const value: unknown = parse(text, syntaxErrors, { allowTrailingComma: false, disallowComments: true });
  const lineAt = lineIndex(text);
  if (syntaxErrors.length > 0) {
    throw new ImportError(
      syntaxErrors.map((e) => ({ line: lineAt(e.offset), field: 'JSON', message: printParseErrorCode(e.error) })),
      source,
    );
  }
  const result = diarySchema.safeParse(value);
  if (result.success) return result.data;
  throw new ImportError(zodProblems(result.error, text, lineAt), source);
}

/** Zod issues with the line of the JSON value each one names. */
function zodProblems(error: z.ZodError, text: string, lineAt: (offset: number) => number): ImportProblem[] {
  const tree = parseTree(text);
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    // The nearest existing node: a missing property is reported on its parent object.
    let node = undefined;
    for (let n = path.length; n >= 0 && !node; n--) node = tree && findNodeAtLocation(tree, path.slice(0, n));
    return {
      line: node ? lineAt(node.offset) : null,
      field: path.length === 0 ? '(diary)' : path.join('.'),
      message: issue.message,
    };
  });
}

/** Offset → 1-based line number. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
