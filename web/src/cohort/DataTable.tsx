import { type ReactNode, useId } from 'react';
import { t } from '../i18n/strings';
import { type CsvColumn, downloadCsv, toCsv } from '../ui/csv';

export interface Column<Row> extends CsvColumn<Row> {
  /** What the table shows (rounded, in words); the CSV value as text when absent. */
  show?: (row: Row) => ReactNode;
  numeric?: boolean;
}

/**
 * The table behind a chart, with a button that downloads exactly its rows and columns as CSV: the
 * table rounds for reading, the file keeps the API's values unrounded. `folded` puts the table in a
 * <details> (the chart above shows the same figures).
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  filename,
  folded = false,
}: {
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  filename: string;
  folded?: boolean;
}) {
  const id = useId();
  const table = (
    // Focusable, so that a table wider than the screen can be scrolled with the keyboard.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c, j) => {
                const content = c.show ? c.show(row) : asText(c.value(row));
                return j === 0 ? (
                  <th key={c.header} scope="row">
                    {content}
                  </th>
                ) : (
                  <td key={c.header} className={c.numeric ? 'num' : undefined}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <div className="cohort-table">
      {folded ? (
        <details>
          <summary>
            {t.cohort.tableDetails}: {caption}
          </summary>
          {table}
        </details>
      ) : (
        table
      )}
      <button
        type="button"
        className="no-print"
        aria-label={`${t.cohort.download}: ${caption}`}
        onClick={() => downloadCsv(filename, toCsv(rows, columns))}
      >
        {t.cohort.download}
      </button>
    </div>
  );
}

function asText(v: string | number | boolean | null | undefined): string {
  return v === null || v === undefined || v === '' ? t.cohort.dash : String(v);
}

/** A titled part of the cohort page. */
export function CohortSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card cohort-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}
