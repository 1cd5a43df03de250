import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Member, MemberWrite, Role } from '../api/types';
import { Dialog } from '../components/dialog';
import { Alert } from '../components/states';
import { ROLE_LABELS } from '../format';

interface Props {
  open: boolean;
  /** undefined: add a member. */
  member: Member | undefined;
  selfId: string;
  onClose: () => void;
  onSaved: (result: MemberWrite) => void;
}

const ASSIGNABLE: Role[] = ['admin', 'events_creator', 'no_access'];

/** Add or edit a member. Fields the identity provider manages are shown read-only. */
export function MemberDialog({ open, member, selfId, onClose, onSaved }: Props) {
  const [form, setForm] = useState({ email: '', givenName: '', familyName: '', phone: '', role: 'no_access' as Role });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setError(undefined);
    setForm({ email: member?.email ?? member?.userName ?? '', givenName: member?.givenName ?? '', familyName: member?.familyName ?? '', phone: member?.phone ?? '', role: member?.role ?? 'no_access' });
  }, [open, member]);
  const managed = member?.source === 'scim';
  const roleLocked = member?.role === 'owner' || member?.id === selfId;
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const profile = { email: form.email.trim(), givenName: form.givenName.trim(), familyName: form.familyName.trim(), phone: form.phone.trim() || null };
      const body = managed ? { role: form.role } : roleLocked ? profile : { ...profile, role: form.role };
      const result = member ? await api<MemberWrite>('PATCH', `/members/${member.id}`, body) : await api<MemberWrite>('POST', '/members', { ...profile, role: form.role });
      onSaved(result);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Saving failed.');
    } finally {
      setBusy(false);
    }
  };

  const managedHint = managed ? <span className="hint">Managed by your identity provider</span> : null;
  return (
    <Dialog
      open={open}
      title={member ? `Edit ${member.name}` : 'Add member'}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="member-form" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : member ? 'Save changes' : 'Add member'}
          </button>
        </>
      }
    >
      {managed && (
        <Alert tone="info" title="Managed by your identity provider">
          Name, email, phone and status come from your identity provider over SCIM and are changed there. You can change this member's role here.
        </Alert>
      )}
      {!member && <p className="muted">The member is invited and takes a seat at once.</p>}
      {error && <Alert tone="danger">{error}</Alert>}
      <form id="member-form" className="form" onSubmit={submit}>
        <div className="form-row">
          <div className="field">
            <label htmlFor="m-given">First name</label>
            <input id="m-given" required maxLength={100} value={form.givenName} onChange={set('givenName')} readOnly={managed} aria-readonly={managed} />
            {managedHint}
          </div>
          <div className="field">
            <label htmlFor="m-family">Last name</label>
            <input id="m-family" required maxLength={100} value={form.familyName} onChange={set('familyName')} readOnly={managed} aria-readonly={managed} />
            {managedHint}
          </div>
        </div>
        <div className="field">
          <label htmlFor="m-email">Email</label>
          <input id="m-email" type="email" required maxLength={254} value={form.email} onChange={set('email')} readOnly={managed} aria-readonly={managed} autoComplete="off" />
          {managedHint ?? <span className="hint">Also the member's sign-in name.</span>}
        </div>
        <div className="field">
          <label htmlFor="m-phone">
            Phone <span className="optional">(optional)</span>
          </label>
          <input id="m-phone" type="tel" maxLength={40} value={form.phone} onChange={set('phone')} readOnly={managed} aria-readonly={managed} placeholder="+41 441234567" aria-describedby="m-phone-hint" />
          <span className="hint" id="m-phone-hint">
            {managed ? 'Managed by your identity provider' : 'Country prefix, one space, then the number: +41 441234567'}
          </span>
        </div>
        <div className="field">
          <label htmlFor="m-role">Account role</label>
          <select id="m-role" value={form.role} onChange={set('role')} disabled={roleLocked}>
            {(member?.role === 'owner' ? (['owner'] as Role[]) : ASSIGNABLE).map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
          <span className="hint">
            {member?.role === 'owner' ? 'The owner keeps the owner role.' : member?.id === selfId ? 'You cannot change your own role.' : 'Admins can sign in to this console.'}
          </span>
        </div>
      </form>
    </Dialog>
  );
}
