import { type FormEvent, useEffect, useState } from 'react';
import { PATIENT_FLAGS, PATIENT_STATUSES, type PatientFlagName } from '../../../src/domain/patient-flags';
import { PROCEDURE_TYPES } from '../../../src/domain/registry';
import { query } from '../api/client';
import { useApi } from '../api/use-api';
import { Link, navigate, useLocation } from '../app/router';
import { useUser } from '../app/session';
import { format, formatDate, t } from '../i18n/strings';
import { ErrorView, Loading, PageTitle } from '../ui/states';
import { FlagList } from './patients/FlagList';
import type { OverviewPage, OverviewRow, SiteView } from './patients/types';
import './patients/patients.css';

const s = t.clinicPatients;

type Sort = 'flags' | 'name' | 'procedure';
const SORTS: readonly Sort[] = ['flags', 'name', 'procedure'];
const PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_SIZE = 25;
/** The flag filter's choice that stands for every flag. */
const ANY_FLAG = 'any';

/** The list's state, kept in the URL so that it survives a reload and can be bookmarked. */
interface ListState {
  q: string;
  site: string;
  procedure: string;
  status: string;
  flag: string;
  sort: Sort;
  page: number;
  size: number;
}

function readState(search: URLSearchParams): ListState {
  const sort = search.get('sort') as Sort | null;
  const size = Number(search.get('size'));
  const page = Number(search.get('page'));
  return {
    q: search.get('q') ?? '',
    site: search.get('site') ?? '',
    procedure: search.get('procedure') ?? '',
    status: search.get('status') ?? '',
    flag: search.get('flag') ?? '',
    sort: sort !== null && SORTS.includes(sort) ? sort : 'flags',
    page: Number.isInteger(page) && page > 1 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
  };
}

function urlOf(state: ListState): string {
  return (
    '/clinic' +
    query({
      q: state.q.trim(),
      site: state.site,
      procedure: state.procedure,
      status: state.status,
      flag: state.flag,
      sort: state.sort === 'flags' ? undefined : state.sort,
      page: state.page > 1 ? state.page : undefined,
      size: state.size === DEFAULT_SIZE ? undefined : state.size,
    })
  );
}

function apiPath(state: ListState): string {
  const flag: readonly PatientFlagName[] | undefined =
    state.flag === '' ? undefined : state.flag === ANY_FLAG ? PATIENT_FLAGS : [state.flag as PatientFlagName];
  return (
    '/patient-overview' +
    query({
      q: state.q.trim(),
      siteId: state.site,
      procedureType: state.procedure,
      status: state.status,
      flag: flag?.join(','),
      sort: state.sort,
      limit: state.size,
      offset: (state.page - 1) * state.size,
    })
  );
}

const filtered = (state: ListState) =>
  state.q.trim() !== '' || state.site !== '' || state.procedure !== '' || state.status !== '' || state.flag !== '';

export function PatientListPage(props: { params: Record<string, string> }) {
  void props;
  const user = useUser();
  const { search } = useLocation();
  const state = readState(search);
  const { data, error, loading, reload } = useApi<OverviewPage>(apiPath(state));
  // Admins see every site, by name; clinicians their own sites.
  const sites = useApi<{ items: SiteView[] }>(user.role === 'admin' ? '/sites' : null);
  const siteOptions = user.role === 'admin' ? (sites.data?.items ?? []) : user.siteIds.map((id) => ({ id, name: id }));

  /** A filter changed: back to the first page. */
  const change = (patch: Partial<ListState>) => navigate(urlOf({ ...state, page: 1, ...patch }), { replace: true });

  const [text, setText] = useState(state.q);
  useEffect(() => setText(state.q), [state.q]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change({ q: text });
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / state.size)) : 1;
  const order = { flags: s.list.orderFlags, name: s.list.orderName, procedure: s.list.orderProcedure }[state.sort];

  return (
    <div className="patients-page">
      <PageTitle title={s.list.title}>{s.list.title}</PageTitle>
      <form className="patient-filters card" role="search" onSubmit={submit} aria-label={s.list.filters}>
        <div className="field filter-search">
          <label htmlFor="patient-search">{s.list.searchLabel}</label>
          <div className="search-row">
            <input id="patient-search" type="search" value={text} onChange={(e) => setText(e.target.value)} />
            <button type="submit" className="primary">
              {s.list.search}
            </button>
          </div>
        </div>
        <FilterSelect
          id="filter-site"
          label={s.list.site}
          value={state.site}
          onChange={(site) => change({ site })}
          options={[['', s.list.allSites], ...siteOptions.map((x): [string, string] => [x.id, x.name])]}
        />
        <FilterSelect
          id="filter-procedure"
          label={s.list.procedure}
          value={state.procedure}
          onChange={(procedure) => change({ procedure })}
          options={[
            ['', s.list.anyProcedure],
            ...PROCEDURE_TYPES.map((p): [string, string] => [p, s.procedureTypes[p] ?? p]),
          ]}
        />
        <FilterSelect
          id="filter-status"
          label={s.list.status}
          value={state.status}
          onChange={(status) => change({ status })}
          options={[['', s.list.anyStatus], ...PATIENT_STATUSES.map((x): [string, string] => [x, s.statuses[x]])]}
        />
        <FilterSelect
          id="filter-flag"
          label={s.list.flag}
          value={state.flag}
          onChange={(flag) => change({ flag })}
          options={[
            ['', s.list.anyFlagOrNone],
            [ANY_FLAG, s.list.anyFlag],
            ...PATIENT_FLAGS.map((f): [string, string] => [f, s.flags[f]]),
          ]}
        />
        {filtered(state) && (
          <p className="filter-clear">
            <Link to={urlOf({ ...state, q: '', site: '', procedure: '', status: '', flag: '', page: 1 })}>
              {s.list.clear}
            </Link>
          </p>
        )}
      </form>

      <p className="list-count" role="status" aria-live="polite">
        {data ? format(filtered(state) ? s.list.countFiltered : s.list.count, { n: data.total }) : ''}
      </p>
      {error && <ErrorView error={error} onRetry={reload} />}
      {!data && loading && <Loading />}
      {data && data.items.length === 0 && <p>{s.list.none}</p>}
      {data && data.items.length > 0 && (
        <PatientTable rows={data.items} sort={state.sort} order={order} onSort={(sort) => change({ sort })} />
      )}
      {data && data.total > 0 && (
        <nav className="pagination" aria-label={s.list.pages}>
          <button
            type="button"
            disabled={state.page <= 1}
            onClick={() => navigate(urlOf({ ...state, page: state.page - 1 }))}
          >
            {s.list.previous}
          </button>
          <span>{format(s.list.pageOf, { page: state.page, pages })}</span>
          <button
            type="button"
            disabled={data.nextOffset === null}
            onClick={() => navigate(urlOf({ ...state, page: state.page + 1 }))}
          >
            {s.list.next}
          </button>
          <FilterSelect
            id="page-size"
            label={s.list.perPage}
            value={String(state.size)}
            onChange={(size) => change({ size: Number(size) })}
            options={PAGE_SIZES.map((n): [string, string] => [String(n), String(n)])}
          />
        </nav>
      )}
    </div>
  );
}

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: [value: string, label: string][];
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

function SortHeader(props: {
  column: Sort;
  label: string;
  sort: Sort;
  onSort: (sort: Sort) => void;
  className?: string;
}) {
  const active = props.sort === props.column;
  return (
    <th
      scope="col"
      className={props.className}
      aria-sort={active ? (props.column === 'name' ? 'ascending' : 'descending') : undefined}
    >
      <button type="button" className="sort-button" onClick={() => props.onSort(props.column)}>
        {props.label}
        <span aria-hidden="true">{active ? (props.column === 'name' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}

function PatientTable(props: { rows: OverviewRow[]; sort: Sort; order: string; onSort: (sort: Sort) => void }) {
  const { sort, onSort } = props;
  return (
    <div className="table-scroll" role="region" aria-labelledby="patient-table-caption" tabIndex={0}>
      <table className="patient-table" data-testid="patient-table">
        <caption id="patient-table-caption" className="visually-hidden">
          {format(s.list.caption, { order: props.order })}
        </caption>
        <thead>
          <tr>
            <SortHeader column="name" label={s.list.name} sort={sort} onSort={onSort} />
            <th scope="col">{s.list.siteColumn}</th>
            <SortHeader column="procedure" label={s.list.latestProcedure} sort={sort} onSort={onSort} />
            <th scope="col">{s.list.statusColumn}</th>
            <SortHeader column="flags" label={s.list.flags} sort={sort} onSort={onSort} className="flags-col" />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.patientId} data-patient={r.patientId}>
              <th scope="row">
                <Link to={`/clinic/patients/${encodeURIComponent(r.patientId)}`}>{r.displayName}</Link>
                <span className="row-id">{r.patientId}</span>
              </th>
              <td>
                <span className="nowrap">{r.siteId}</span>
                <span className="row-id">{r.conditions.map((c) => s.conditions[c] ?? c).join(', ')}</span>
              </td>
              <td>
                {r.latestProcedure ? (
                  <>
                    {format(s.list.procedureLine, {
                      date: formatDate(r.latestProcedure.date),
                      type: s.procedureTypes[r.latestProcedure.type] ?? r.latestProcedure.type,
                    })}
                    {r.procedureCount > 1 && (
                      <span className="row-id">{format(s.list.moreProcedures, { n: r.procedureCount - 1 })}</span>
                    )}
                  </>
                ) : (
                  <span className="muted">{s.list.noProcedure}</span>
                )}
              </td>
              <td className="nowrap">{s.statuses[r.status]}</td>
              <td data-col="flags">
                <FlagList flags={r.flags} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
