import { useTranslation } from 'react-i18next';
import type { ProjectInfo } from '../../src/api/contract';
import { formatScale, scaleDenominator, toDecimal, toDms, wrapLng } from '../map/coords';

export interface StatusBarProps {
  cursor: [number, number] | null;
  view: { zoom: number; lat: number };
  project: ProjectInfo | null;
  message: string | null;
}

/** Cursor position (decimal degrees and DMS), zoom and scale, feature counts, last message. */
export function StatusBar({ cursor, view, project, message }: StatusBarProps) {
  const { t } = useTranslation();
  const lng = cursor ? wrapLng(cursor[0]) : null;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="cursor" data-testid="status-cursor">
        {cursor && lng !== null ? (
          <>
            {t('status.lon')} {toDecimal(lng)} · {t('status.lat')} {toDecimal(cursor[1])} ({toDms(cursor[1], 'lat')} {toDms(lng, 'lng')})
          </>
        ) : (
          t('status.noCursor')
        )}
      </span>
      <span data-testid="status-zoom">
        {t('status.zoom')} {view.zoom.toFixed(1)} · {t('status.scale')} {formatScale(scaleDenominator(view.zoom, view.lat))}
      </span>
      {project ? (
        <span data-testid="status-counts">
          {t('status.deposits')} {project.counts.deposits.toLocaleString()} · {t('status.surveys')} {project.counts.surveys.toLocaleString()}
        </span>
      ) : null}
      {message ? (
        <span className="message" role="status" data-testid="status-message">
          {message}
        </span>
      ) : null}
    </footer>
  );
}
