import { useId, useState } from 'react';
import { CopyButton } from '../components/copy-button';
import { Dialog } from '../components/dialog';
import { Alert } from '../components/states';

/**
 * Shows a secret exactly once (domain.md §3.6): copy button, and the dialog closes only after
 * the admin confirms they stored it.
 */
export function SecretRevealDialog({ open, title, secret, label, intro, onDone }: { open: boolean; title: string; secret: string; label: string; intro: string; onDone: () => void }) {
  const [stored, setStored] = useState(false);
  const inputId = useId();
  const done = () => {
    setStored(false);
    onDone();
  };
  return (
    <Dialog
      open={open}
      title={title}
      onClose={done}
      locked={!stored}
      footer={
        <button type="button" className="btn btn-primary" disabled={!stored} onClick={done}>
          Done
        </button>
      }
    >
      <Alert tone="warning" title="Shown once">
        {intro}
      </Alert>
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <textarea id={inputId} className="secret" rows={2} readOnly value={secret} onFocus={(e) => e.target.select()} data-testid="revealed-secret" />
        <div className="secret-actions">
          <CopyButton value={secret} />
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />I have stored it
      </label>
    </Dialog>
  );
}
