/**
 * A small RFC 4180 reader for comma- or tab-separated diaries: quoted fields may hold the
 * delimiter, doubled quotes and line breaks. Each row keeps the line it started on.
 */

export interface CsvRow {
  line: number;
  cells: string[];
}

export function parseDelimited(text: string, delimiter: ',' | '\t'): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** Rows as records keyed by the header row's names. */
export function withHeader(rows: readonly CsvRow[]): {
  header: string[];
  records: Array<{ line: number; get: (column: string) => string | undefined }>;
} {
  const [head, ...body] = rows;
  const header = (head?.cells ?? []).map((h) => h.trim());
  const index = new Map(header.map((h, i) => [h, i]));
  return {
    header,
    records: body.map((r) => ({
      line: r.line,
      get: (column: string) => {
        const i = index.get(column);
        return i === undefined ? undefined : r.cells[i];
      },
    })),
  };
}
