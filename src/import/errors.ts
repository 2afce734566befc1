/** A diary file that cannot be read, with where and what. Nothing is imported from it. */
export class ImportError extends Error {
  constructor(
    readonly problems: readonly ImportProblem[],
    readonly source: string,
  ) {
    super(problems.map((p) => formatProblem(source, p)).join('\n'));
    this.name = 'ImportError';
  }
}

export interface ImportProblem {
  /** 1-based line in the file, when known. */
  line: number | null;
  /** The column, JSON path or field concerned. */
  field: string;
  message: string;
}

export function formatProblem(source: string, p: ImportProblem): string {
  const where = p.line === null ? source : `${source}:${p.line}`;
  return `${where}: ${p.field}: ${p.message}`;
}
