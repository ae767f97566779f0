import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiFilter, ApiLayer, OutcropApi, ProjectInfo, TableQuery, TableRow } from '../../src/api/contract';
import { COMMODITIES, DEV_STATUSES, vocabLabel } from '../../src/model/vocab';
import type { Lang } from '../i18n';
import { rowWindow } from '../state/row-window';

export const TABLE_PAGE_SIZE = 200;
const ROW_PX = 26;
const SEARCH_DEBOUNCE_MS = 250;

export interface TableFilters {
  commodity: string;
  status: string;
  country: string;
  agency: string;
}

export const NO_FILTERS: TableFilters = { commodity: '', status: '', country: '', agency: '' };

/** The contract's filter for the table's filters (null when none is set). */
export function tableFilter(f: TableFilters): ApiFilter | null {
  const filter: ApiFilter = {};
  if (f.commodity) filter.commodity = [f.commodity];
  if (f.status) filter.status = [f.status];
  if (f.country.trim()) filter.country = [f.country.trim()];
  return Object.keys(filter).length ? filter : null;
}

type SortColumn = NonNullable<TableQuery['sort']>['column'];

export interface FeatureTableProps {
  api: OutcropApi;
  project: ProjectInfo;
  selectedId: string | null;
  filters: TableFilters;
  onFilters(f: TableFilters): void;
  onSelectRow(layer: ApiLayer, row: TableRow): void;
}

/**
 * The bottom feature table: a fixed-height virtual list over `features.table` pages fetched on
 * demand, so only the rows in view exist in the DOM and only their pages are asked for.
 */
export function FeatureTable({ api, project, selectedId, filters, onFilters, onSelectRow }: FeatureTableProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [layer, setLayer] = useState<ApiLayer>('deposits');
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [unlocatedOnly, setUnlocatedOnly] = useState(false);
  const [sort, setSort] = useState<{ column: SortColumn; dir: 'asc' | 'desc' } | null>(null);
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<ReadonlyMap<number, TableRow[]>>(new Map());
  const [scroll, setScroll] = useState({ top: 0, height: 300 });
  const body = useRef<HTMLDivElement>(null);
  const requested = useRef(new Set<number>());

  useEffect(() => {
    const h = setTimeout(() => setSearch(searchText.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(h);
  }, [searchText]);

  // Everything that changes which rows exist, in which order: a new key drops the cached pages.
  const query = useMemo(() => {
    const filter = layer === 'deposits' ? tableFilter(filters) : tableFilter({ ...NO_FILTERS, country: filters.country });
    return {
      layer,
      ...(filter ? { filter } : {}),
      ...(filters.agency.trim() ? { agency: [filters.agency.trim()] } : {}),
      ...(search ? { search } : {}),
      ...(unlocatedOnly ? { unlocated: true } : {}),
      ...(sort ? { sort } : {}),
    };
  }, [layer, filters, search, unlocatedOnly, sort]);
  const key = `${project.path}\u0000${project.dataVersion}\u0000${JSON.stringify(query)}`;
  const keyRef = useRef(key);

  useEffect(() => {
    keyRef.current = key;
    requested.current = new Set([0]);
    setPages(new Map());
    if (body.current) body.current.scrollTop = 0;
    setScroll((s) => ({ ...s, top: 0 }));
    void api.call('features.table', { ...query, offset: 0, limit: TABLE_PAGE_SIZE }).then((r) => {
      if (keyRef.current !== key || !r.ok) return;
      setTotal(r.value.total);
      setPages(new Map([[0, r.value.rows]]));
    });
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const measure = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const win = rowWindow(scroll.top, scroll.height, ROW_PX, total, TABLE_PAGE_SIZE);
  useEffect(() => {
    for (const p of win.pages) {
      if (requested.current.has(p)) continue;
      requested.current.add(p);
      const k = key;
      void api.call('features.table', { ...query, offset: p * TABLE_PAGE_SIZE, limit: TABLE_PAGE_SIZE }).then((r) => {
        if (keyRef.current !== k || !r.ok) return;
        setPages((prev) => new Map(prev).set(p, r.value.rows));
      });
    }
  }, [win.pages.join(','), key]); // eslint-disable-line react-hooks/exhaustive-deps

  const clickSort = (column: SortColumn) =>
    setSort((s) => (s?.column !== column ? { column, dir: 'asc' } : s.dir === 'asc' ? { column, dir: 'desc' } : null));
  const columns: [SortColumn, string][] = [
    ['name', t('table.name')],
    ['codes', layer === 'deposits' ? t('table.codes') : t('table.methods')],
    ['status', t('table.status')],
    ['country', t('table.country')],
    ['agency', t('table.agency')],
    ['kind', layer === 'deposits' ? t('table.kind') : t('table.team')],
  ];
  const label = (row: TableRow, c: SortColumn): string => {
    const codeKind = layer === 'deposits' ? 'commodity' : 'surveyMethod';
    switch (c) {
      case 'codes':
        return row.codes.map((x) => vocabLabel(codeKind, x, lang)).join(', ');
      case 'status':
        return row.status ? vocabLabel(layer === 'deposits' ? 'devStatus' : 'surveyStatus', row.status, lang) : '';
      case 'kind':
        return row.kind ? (layer === 'deposits' ? vocabLabel('depositType', row.kind, lang) : row.kind) : '';
      case 'name':
        return row.name;
      default:
        return String(row[c as 'country' | 'agency'] ?? '');
    }
  };

  const rows: { index: number; row: TableRow | undefined }[] = [];
  for (let i = win.start; i < win.end; i++) rows.push({ index: i, row: pages.get(Math.floor(i / TABLE_PAGE_SIZE))?.[i % TABLE_PAGE_SIZE] });
  const set = (patch: Partial<TableFilters>) => onFilters({ ...filters, ...patch });

  return (
    <section className="feature-table" data-testid="feature-table" aria-label={t('table.title')}>
      <div className="table-tools">
        <select data-testid="table-layer" value={layer} onChange={(e) => setLayer(e.target.value as ApiLayer)}>
          <option value="deposits">{t('importDialog.layerDeposits')}</option>
          <option value="surveys">{t('importDialog.layerSurveys')}</option>
        </select>
        <input
          type="search"
          data-testid="table-search"
          placeholder={t('table.search')}
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
        />
        {layer === 'deposits' ? (
          <>
            <label>
              {t('table.commodity')}{' '}
              <select data-testid="table-filter-commodity" value={filters.commodity} onChange={(e) => set({ commodity: e.target.value })}>
                <option value="">{t('table.any')}</option>
                {COMMODITIES.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c[lang]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('table.status')}{' '}
              <select data-testid="table-filter-status" value={filters.status} onChange={(e) => set({ status: e.target.value })}>
                <option value="">{t('table.any')}</option>
                {DEV_STATUSES.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s[lang]}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : null}
        <label>
          {t('table.country')} <input data-testid="table-filter-country" className="short" value={filters.country} onChange={(e) => set({ country: e.target.value })} />
        </label>
        <label>
          {t('table.agency')} <input data-testid="table-filter-agency" className="short" value={filters.agency} onChange={(e) => set({ agency: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" data-testid="table-unlocated" checked={unlocatedOnly} onChange={(e) => setUnlocatedOnly(e.target.checked)} /> {t('table.unlocatedOnly')}
        </label>
        <span className="hint" data-testid="table-total">
          {t('table.rows', { count: total, formatted: total.toLocaleString() })}
        </span>
      </div>
      <div className="table-head" role="row">
        {columns.map(([c, text]) => (
          <button key={c} type="button" role="columnheader" data-testid={`table-sort-${c}`} onClick={() => clickSort(c)}>
            {text}
            {sort?.column === c ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
          </button>
        ))}
      </div>
      <div className="table-body" ref={body} data-testid="table-body" onScroll={(e) => setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}>
        <div style={{ height: total * ROW_PX, position: 'relative' }}>
          {rows.map(({ index, row }) => (
            <div
              key={index}
              role="row"
              className={`table-row${row && row.id === selectedId ? ' selected' : ''}`}
              data-testid={row ? 'table-row' : 'table-row-loading'}
              data-id={row?.id}
              aria-selected={!!row && row.id === selectedId}
              style={{ top: index * ROW_PX, height: ROW_PX }}
              onClick={() => row && onSelectRow(layer, row)}
            >
              {row ? (
                columns.map(([c]) => (
                  <span key={c} title={label(row, c)}>
                    {c === 'name' && !row.center ? (
                      <em className="no-location" data-testid="table-no-location" title={t('table.noLocation')}>
                        {t('table.noLocationShort')}{' '}
                      </em>
                    ) : null}
                    {label(row, c)}
                  </span>
                ))
              ) : (
                <span className="hint">{t('table.loading')}</span>
              )}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
