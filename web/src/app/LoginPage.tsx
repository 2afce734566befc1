import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { t } from '../i18n/strings';
import { FormErrors, TextField } from '../ui/forms';
import { navigate, useLocation } from './router';
import { homeOf } from './routes';
import { useSession } from './session';

export function LoginPage() {
  const { signIn } = useSession();
  const { search } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `${t.common.signIn.title}`;
    document.documentElement.dataset.theme = 'dim';
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const user = await signIn(username.trim(), password);
      const next = search.get('next');
      // Only a path of this app: never an address elsewhere.
      const safeNext = next !== null && /^\/[a-z]/.test(next) && !next.startsWith('//') ? next : null;
      navigate(user.mustChangePassword ? '/password' : (safeNext ?? homeOf(user.role)), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new Error(t.common.signIn.failed) : err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>{t.common.signIn.title}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors error={error} />
        <TextField
          label={t.common.signIn.username}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <TextField
          label={t.common.signIn.password}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <button type="submit" className="primary" disabled={busy}>
          {t.common.signIn.submit}
        </button>
      </form>
    </main>
  );
}
