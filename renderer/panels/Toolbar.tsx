import { useTranslation } from 'react-i18next';
import { opLabel } from '../state/op-label';
import type { ProjectInfo } from '../../src/api/contract';

export interface ToolbarProps {
  project: ProjectInfo | null;
  showTable: boolean;
  onImport(): void;
  onExport(): void;
  onUndo(): void;
  onRedo(): void;
  onToggleTable(): void;
  /** Exchange packages with other teams; open merge conflicts (a badge when there are any). */
  onExchange?(): void;
  conflictCount?: number;
  showConflicts?: boolean;
  onToggleConflicts?(): void;
  /** The planner's analysis panels (coverage, compare sites): which are open. */
  analysis?: { coverage: boolean; compare: boolean };
  onToggleAnalysis?(panel: 'coverage' | 'compare'): void;
}

/** Import, export, undo/redo (labelled with what they would undo/redo) and the table switch. */
export function Toolbar({ project, showTable, onImport, onExport, onUndo, onRedo, onToggleTable, onExchange, conflictCount = 0, showConflicts = false, onToggleConflicts, analysis, onToggleAnalysis }: ToolbarProps) {
  const { t } = useTranslation();
  const u = project?.undo;
  const undoText = u?.canUndo && u.undoLabel ? t('toolbar.undoLabel', { label: opLabel(u.undoLabel, t) }) : t('toolbar.undo');
  const redoText = u?.canRedo && u.redoLabel ? t('toolbar.redoLabel', { label: opLabel(u.redoLabel, t) }) : t('toolbar.redo');
  const off = !project;
  return (
    <nav className="toolbar" aria-label="toolbar">
      <button type="button" data-testid="tool-import" disabled={off} onClick={onImport}>
        {t('toolbar.import')}
      </button>
      <button type="button" data-testid="tool-export" disabled={off} onClick={onExport}>
        {t('toolbar.export')}
      </button>
      {onExchange ? (
        <button type="button" data-testid="tool-exchange" disabled={off} onClick={onExchange}>
          {t('exchange.toolbar')}
        </button>
      ) : null}
      {onToggleConflicts && (conflictCount > 0 || showConflicts) ? (
        <button type="button" data-testid="tool-conflicts" aria-pressed={showConflicts} title={t('exchange.conflictsBadge', { count: conflictCount })} onClick={onToggleConflicts}>
          {t('exchange.conflictsButton')}
          {conflictCount > 0 ? (
            <span className="conflict-count" data-testid="tool-conflicts-count">
              {conflictCount}
            </span>
          ) : null}
        </button>
      ) : null}
      <span className="sep" />
      {/* A long label is cut off with an ellipsis: the tooltip has it whole. */}
      <button type="button" data-testid="tool-undo" disabled={!u?.canUndo} title={`${undoText} (Ctrl+Z)`} onClick={onUndo}>
        {undoText}
      </button>
      <button type="button" data-testid="tool-redo" disabled={!u?.canRedo} title={`${redoText} (Ctrl+Shift+Z)`} onClick={onRedo}>
        {redoText}
      </button>
      <span className="sep" />
      <button type="button" data-testid="tool-table" disabled={off} aria-pressed={showTable} onClick={onToggleTable}>
        {t('toolbar.table')}
      </button>
      {onToggleAnalysis ? (
        <>
          <span className="sep" />
          <button type="button" data-testid="tool-coverage" disabled={off} aria-pressed={!!analysis?.coverage} onClick={() => onToggleAnalysis('coverage')}>
            {t('analysis.coverageButton')}
          </button>
          <button type="button" data-testid="tool-compare" disabled={off} aria-pressed={!!analysis?.compare} onClick={() => onToggleAnalysis('compare')}>
            {t('analysis.compareButton')}
          </button>
        </>
      ) : null}
    </nav>
  );
}
