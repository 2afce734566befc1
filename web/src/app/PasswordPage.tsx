import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { User } from '../api/types';
import { t } from '../i18n/strings';
import { FormErrors, issuesByField, TextField } from '../ui/forms';
import { PageTitle } from '../ui/states';
import { navigate } from './router';
import { homeOf } from './routes';
import { useSession } from './session';

/** A one-time password (new user, admin reset) must be replaced before anything else. */
export function PasswordPage() {
  const { setSignedIn } = useSession();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNext] = useState('');
  const [error, setError] = useState<unknown>();
  const issues = issuesByField(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const { body } = await api.post<{ user: User; csrfToken: string }>('/auth/password', {
        currentPassword,
        newPassword,
      });
      setSignedIn(body.user, body.csrfToken);
      navigate(homeOf(body.user.role), { replace: true });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <main id="main" className="sign-in">
      <PageTitle title={t.common.password.title}>{t.common.password.title}</PageTitle>
      <p>{t.common.password.explain}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors
          error={error}
          labels={{ currentPassword: t.common.password.current, newPassword: t.common.password.next }}
        />
        <TextField
          label={t.common.password.current}
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
          errors={issues.get('currentPassword')}
        />
        <TextField
          label={t.common.password.next}
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNext(e.target.value)}
          errors={issues.get('newPassword')}
        />
        <button type="submit" className="primary">
          {t.common.password.submit}
        </button>
      </form>
    </main>
  );
}
