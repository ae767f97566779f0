import { useTranslation } from 'react-i18next';
import type { JobEvent } from '../../src/api/contract';

export interface JobProgressProps {
  event: JobEvent | undefined;
  onCancel(): void;
}

/** A running job's phase and count (features or bytes), a bar when the total is known, Cancel. */
export function JobProgress({ event, onCancel }: JobProgressProps) {
  const { t } = useTranslation();
  const p = event?.type === 'progress' ? event : null;
  const pct = p?.total ? Math.min(100, (100 * p.done) / p.total) : null;
  const fmt = (n: number) => (p?.unit === 'bytes' ? `${(n / 1_048_576).toFixed(1)} MB` : n.toLocaleString());
  // Phases and units the strings know are translated; any other is shown as the core names it.
  const phase = p ? t(`job.phases.${p.phase}`, { defaultValue: p.phase }) : '';
  const unit = !p || p.unit === 'bytes' || !p.unit ? '' : t(`job.units.${p.unit}`, { defaultValue: p.unit });
  return (
    <div className="job-progress" data-testid="job-progress">
      <progress max={100} value={pct ?? undefined} />
      <span data-testid="job-progress-text">
        {p
          ? p.total
            ? t('job.progressOf', { phase, done: fmt(p.done), total: fmt(p.total), unit })
            : t('job.progress', { phase, done: fmt(p.done), unit })
          : t('job.running')}
      </span>
      <button type="button" data-testid="job-cancel" onClick={onCancel}>
        {t('job.cancel')}
      </button>
    </div>
  );
}
