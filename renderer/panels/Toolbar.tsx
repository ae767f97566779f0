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
}

/** Import, export, undo/redo (labelled with what they would undo/redo) and the table switch. */
export function Toolbar({ project, showTable, onImport, onExport, onUndo, onRedo, onToggleTable }: ToolbarProps) {
  const { t } = useTranslation();
  const u = project?.undo;
  const off = !project;
  return (
    <nav className="toolbar" aria-label="toolbar">
      <button type="button" data-testid="tool-import" disabled={off} onClick={onImport}>
        {t('toolbar.import')}
      </button>
      <button type="button" data-testid="tool-export" disabled={off} onClick={onExport}>
        {t('toolbar.export')}
      </button>
      <span className="sep" />
      <button type="button" data-testid="tool-undo" disabled={!u?.canUndo} title="Ctrl+Z" onClick={onUndo}>
        {u?.canUndo && u.undoLabel ? t('toolbar.undoLabel', { label: opLabel(u.undoLabel, t) }) : t('toolbar.undo')}
      </button>
      <button type="button" data-testid="tool-redo" disabled={!u?.canRedo} title="Ctrl+Shift+Z" onClick={onRedo}>
        {u?.canRedo && u.redoLabel ? t('toolbar.redoLabel', { label: opLabel(u.redoLabel, t) }) : t('toolbar.redo')}
      </button>
      <span className="sep" />
      <button type="button" data-testid="tool-table" disabled={off} aria-pressed={showTable} onClick={onToggleTable}>
        {t('toolbar.table')}
      </button>
    </nav>
  );
}
